using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Captions;

/// <summary>
/// Turns a <see cref="SceneSpec"/> into a lower-case caption with paraphrases and varied word order,
/// so the model learns the words rather than one template. Words are separated by single spaces; a
/// comma sticks to the word before it. <see cref="Vocabulary"/> lists every word the grammar can emit.
/// </summary>
public static class CaptionGrammar
{
    internal static readonly string[] SmallWords = ["small", "little", "tiny"];
    internal static readonly string[] LargeWords = ["large", "big"];
    internal static readonly string[] CountWords = ["one", "two", "three", "four"];
    internal static readonly string[] Openers = ["a picture of", "an image of", "a drawing of"];
    internal static readonly string[] GlyphKindWords = ["letter", "digit", "number"];
    internal static readonly string[] GlueWords = ["a", "an", "the", "there", "is", "are", "and", "in", "on", "against", "with", "background"];
    internal static readonly string GrayVariant = "grey";

    /// <summary>The Words category's one word of its own ("the word cat in red"). It is not in <see cref="Vocabulary"/>,
    /// which is what the shipped model was trained on; nor are the words spelled, which the tokenizer splits into
    /// pieces by design, so that a model can spell words it never saw whole.</summary>
    public const string WordKeyword = "word";

    internal static readonly Dictionary<ShapeKind, (string One, string Many)> ShapeNouns = new()
    {
        [ShapeKind.Circle] = ("circle", "circles"),
        [ShapeKind.Square] = ("square", "squares"),
        [ShapeKind.Triangle] = ("triangle", "triangles"),
        [ShapeKind.Star] = ("star", "stars"),
        [ShapeKind.Ring] = ("ring", "rings"),
    };

    internal static readonly Dictionary<Placement, string[]> PlacementPhrases = new()
    {
        [Placement.Centre] = ["in the centre", "in the center", "in the middle"],
        [Placement.Left] = ["on the left", "at the left"],
        [Placement.Right] = ["on the right", "at the right"],
        [Placement.Top] = ["at the top"],
        [Placement.Bottom] = ["at the bottom"],
    };

    internal static readonly Dictionary<RelationKind, string[]> RelationPhrases = new()
    {
        [RelationKind.Above] = ["above", "over"],
        [RelationKind.Below] = ["below", "under", "beneath"],
        [RelationKind.LeftOf] = ["to the left of", "left of"],
        [RelationKind.RightOf] = ["to the right of", "right of"],
    };

    /// <summary>Every word a caption can contain (plus ","), sorted: the tokenizer's vocabulary.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } = BuildVocabulary();

    /// <summary>Splits a caption into its words and commas, the units in <see cref="Vocabulary"/>.</summary>
    public static IEnumerable<string> Words(string caption)
    {
        foreach (var token in caption.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.EndsWith(','))
            {
                if (token.Length > 1) yield return token[..^1];
                yield return ",";
            }
            else yield return token;
        }
    }

    /// <summary>A caption for <paramref name="spec"/>; the choice of paraphrase comes from <paramref name="rng"/>.</summary>
    public static string Describe(SceneSpec spec, DeterministicRandom rng)
    {
        var subject = Subject(spec, rng);
        var plural = spec.Groups[0].Count > 1;
        var bg = spec.Background is { } b ? ColourWord(b, rng) : null;
        var form = bg is null ? rng.NextInt(3) : rng.NextInt(5);
        // "there is cat in red" and "a picture of cat in red" do not read; a word stands alone.
        if (form is 1 or 2 && spec.Groups.Any(g => g.Shape == ShapeKind.Word)) form = 0;
        var text = form switch
        {
            0 => Join(subject, BackgroundSuffix(bg, rng)),
            1 => Join(rng.Pick(Openers), subject, BackgroundSuffix(bg, rng)),
            2 => Join(plural ? "there are" : "there is", subject, BackgroundSuffix(bg, rng)),
            3 => Join((rng.Chance(0.5) ? $"on {bg}," : $"on a {bg} background,"), subject),
            _ => Join(WithoutArticle(subject) + ",", bg!, "background"),
        };
        return text;
    }

    private static string Subject(SceneSpec spec, DeterministicRandom rng)
    {
        if (spec.Relation is { } relation)
        {
            // Say it either way round: "a above b" or "b below a".
            var flip = rng.Chance(0.5);
            var kind = flip ? Inverse(relation.Kind) : relation.Kind;
            var first = spec.Groups[flip ? relation.Reference : relation.Subject];
            var second = spec.Groups[flip ? relation.Subject : relation.Reference];
            return Join(Noun(first, rng), rng.Pick(RelationPhrases[kind]), Noun(second, rng));
        }
        var phrases = spec.Groups.Select(g => Noun(g, rng)).ToList();
        return string.Join(" and ", phrases);
    }

    private static string Noun(ObjectGroup group, DeterministicRandom rng)
    {
        if (group.Shape == ShapeKind.Glyph) return GlyphNoun(group, rng);
        if (group.Shape == ShapeKind.Word) return WordNoun(group, rng);
        var size = group.Size switch
        {
            SizeClass.Small => rng.Pick(SmallWords),
            SizeClass.Large => rng.Pick(LargeWords),
            _ => null,
        };
        var colour = group.Colour is { } c ? ColourWord(c, rng) : null;
        var (one, many) = ShapeNouns[group.Shape];
        var core = Join(size, colour, group.Count == 1 ? one : many);
        var lead = group.Count == 1
            ? (rng.Chance(0.1) ? "one" : Article(core))
            : CountWords[group.Count - 1];
        var phrase = Join(lead, core);
        return group.Placement is { } p ? Join(phrase, rng.Pick(PlacementPhrases[p])) : phrase;
    }

    private static string GlyphNoun(ObjectGroup group, DeterministicRandom rng)
    {
        var glyph = char.ToLowerInvariant(group.Glyph!.Value).ToString();
        var kind = GlyphFont.IsDigit(group.Glyph.Value) ? rng.Pick(["digit", "number"]) : "letter";
        if (group.Colour is not { } c) return $"the {kind} {glyph}";
        var colour = ColourWord(c, rng);
        // The bare form ("a red 7") is for digits only: "a yellow a" would be ambiguous.
        var forms = GlyphFont.IsDigit(group.Glyph.Value) ? 4 : 3;
        return rng.NextInt(forms) switch
        {
            0 => $"the {kind} {glyph} in {colour}",
            1 => $"{Article(colour)} {colour} {kind} {glyph}",
            2 => $"the {colour} {kind} {glyph}",
            _ => $"{Article(colour)} {colour} {glyph}",
        };
    }

    private static string WordNoun(ObjectGroup group, DeterministicRandom rng)
    {
        var word = group.Text!.ToLowerInvariant();
        if (group.Colour is not { } c) return $"the {WordKeyword} {word}";
        var colour = ColourWord(c, rng);
        return rng.NextInt(3) switch
        {
            0 => $"the {WordKeyword} {word} in {colour}",
            1 => $"the {colour} {WordKeyword} {word}",
            _ => $"{word} in {colour}",
        };
    }

    private static string? BackgroundSuffix(string? bg, DeterministicRandom rng) => bg is null
        ? null
        : rng.NextInt(4) switch
        {
            0 => $"on a {bg} background",
            1 => $"on {bg}",
            2 => $"against a {bg} background",
            _ => $"with a {bg} background",
        };

    internal static string ColourWord(NamedColour colour, DeterministicRandom rng) =>
        colour == Palette.Gray && rng.Chance(0.2) ? GrayVariant : colour.Name;

    internal static string Article(string nextWords) => "aeiou".Contains(nextWords[0]) ? "an" : "a";

    private static string WithoutArticle(string phrase) =>
        phrase.StartsWith("a ", StringComparison.Ordinal) ? phrase[2..]
        : phrase.StartsWith("an ", StringComparison.Ordinal) ? phrase[3..]
        : phrase;

    private static RelationKind Inverse(RelationKind kind) => kind switch
    {
        RelationKind.Above => RelationKind.Below,
        RelationKind.Below => RelationKind.Above,
        RelationKind.LeftOf => RelationKind.RightOf,
        _ => RelationKind.LeftOf,
    };

    private static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p)));

    private static IReadOnlyList<string> BuildVocabulary()
    {
        IEnumerable<string> phrases = [
            .. SmallWords, .. LargeWords, .. CountWords, .. Openers, .. GlyphKindWords, .. GlueWords, GrayVariant,
            .. ShapeNouns.Values.SelectMany(n => new[] { n.One, n.Many }),
            .. PlacementPhrases.Values.SelectMany(p => p),
            .. RelationPhrases.Values.SelectMany(p => p),
            .. Palette.All.Select(c => c.Name),
            .. GlyphFont.Glyphs.Select(g => char.ToLowerInvariant(g).ToString()),
            ",",
        ];
        return phrases.SelectMany(p => p.Split(' ')).Distinct().Order(StringComparer.Ordinal).ToArray();
    }
}
