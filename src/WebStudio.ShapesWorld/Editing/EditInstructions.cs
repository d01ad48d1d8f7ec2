using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// Words an edit instruction in the imperative, paraphrased the way <see cref="CaptionGrammar"/> paraphrases
/// captions: several verbs and word orders per kind, "grey" for gray now and then, the colour said when it is
/// needed to tell two objects of a shape apart (and sometimes when it is not). Every word is a caption word or one
/// of the few <see cref="EditWords"/>.
/// </summary>
public static class EditInstructions
{
    /// <summary>The words instructions add to the caption vocabulary: verbs and the glue they need.</summary>
    public static IReadOnlyList<string> EditWords { get; } =
        ["add", "away", "change", "delete", "erase", "into", "it", "make", "move", "now", "paint", "put", "remove", "replace", "take", "turn"];

    /// <summary>Every word an instruction can contain: <see cref="CaptionGrammar.Vocabulary"/> and <see cref="EditWords"/>, sorted.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } =
        CaptionGrammar.Vocabulary.Concat(EditWords).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static readonly Dictionary<Placement, string[]> MoveTargets = new()
    {
        [Placement.Centre] = ["to the centre", "to the center", "to the middle"],
        [Placement.Left] = ["to the left"],
        [Placement.Right] = ["to the right"],
        [Placement.Top] = ["to the top"],
        [Placement.Bottom] = ["to the bottom"],
    };

    internal static string Describe(EditRequest request, SceneLayout input, DeterministicRandom rng)
    {
        var target = request.Target is { } id ? Name(input, id, rng) : null;
        switch (request.Kind)
        {
            case EditKind.Recolour:
            {
                var colour = CaptionGrammar.ColourWord(request.Colour!, rng);
                return Form(rng, $"make {target} {colour}", $"turn {target} {colour}", $"change {target} to {colour}", $"paint {target} {colour}");
            }
            case EditKind.Replace:
            {
                var shape = "a " + Noun(request.Shape!.Value);
                return Form(rng, $"turn {target} into {shape}", $"change {target} into {shape}", $"change {target} to {shape}",
                    $"make {target} {shape}", $"replace {target} with {shape}");
            }
            case EditKind.Remove:
                return Form(rng, $"remove {target}", $"delete {target}", $"erase {target}", $"take away {target}", $"take {target} away");
            case EditKind.Move:
            {
                var placement = request.Placement!.Value;
                return rng.Chance(0.6)
                    ? $"move {target} {rng.Pick(MoveTargets[placement])}"
                    : $"put {target} {rng.Pick(CaptionGrammar.PlacementPhrases[placement])}";
            }
            case EditKind.Background:
            {
                var colour = CaptionGrammar.ColourWord(request.Background!, rng);
                return Form(rng, $"change the background to {colour}", $"make the background {colour}", $"turn the background {colour}",
                    $"put it on a {colour} background");
            }
            case EditKind.Count:
            {
                var count = request.Count!.Value;
                var counted = $"{CaptionGrammar.CountWords[count - 1]} {Noun(request.Shape!.Value, count > 1)}";
                return Form(rng, $"make it {counted}", $"change it to {counted}", $"now make it {counted}");
            }
            case EditKind.Add:
            {
                var verb = Form(rng, "add", "add", "put", "now add");
                var size = request.Size switch
                {
                    SizeClass.Small => rng.Pick(CaptionGrammar.SmallWords),
                    SizeClass.Large => rng.Pick(CaptionGrammar.LargeWords),
                    _ => null,
                };
                var words = string.Join(' ', new[] { size, CaptionGrammar.ColourWord(request.Colour!, rng), Noun(request.Shape!.Value) }.OfType<string>());
                // "add a red circle left of the circle" would read as if it could mean either circle afterwards.
                var where = request.Relation is { } relation
                    ? $"{rng.Pick(CaptionGrammar.RelationPhrases[relation])} {Name(input, request.Reference!.Value, rng, sayColour: request.Shape == Shape(input, request.Reference.Value))}"
                    : rng.Pick(CaptionGrammar.PlacementPhrases[request.Placement!.Value]);
                return $"{verb} {CaptionGrammar.Article(words)} {words} {where}";
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "unknown edit kind");
        }
    }

    private static string Noun(ShapeKind shape, bool plural = false) =>
        plural ? CaptionGrammar.ShapeNouns[shape].Many : CaptionGrammar.ShapeNouns[shape].One;

    private static ShapeKind Shape(SceneLayout input, int id) => input.Objects.Single(o => o.Group == id).Shape;

    /// <summary>"the circle", or "the red circle" when another circle is in the scene (and now and then anyway).</summary>
    private static string Name(SceneLayout input, int id, DeterministicRandom rng, bool sayColour = false)
    {
        var target = input.Objects.Single(o => o.Group == id);
        var colour = sayColour || EditScene.NeedsColour(input.Objects, target) || rng.Chance(0.35) ? CaptionGrammar.ColourWord(target.Colour, rng) + " " : "";
        return $"the {colour}{Noun(target.Shape)}";
    }

    private static string Form(DeterministicRandom rng, params string[] forms) => forms[rng.NextInt(forms.Length)];
}
