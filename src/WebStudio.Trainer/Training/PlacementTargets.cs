using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Where each shape noun of a Position caption says its object goes, as a target for the text encoder's state
/// of that noun: (-1,0) left … (0,1) bottom, (0,0) centre. "A star left of a ring" gives the star (-1,0) and the
/// ring (1,0), the same direction "a star on the left" gives its star.
/// </summary>
/// <remarks>
/// Why: the jointly trained model drew relations by chance. Its text encoder gave "above" and "below" nearly the
/// same state and the UNet's loss did not change when the relation word was swapped (the `train-unet` loss with
/// the true against the swapped word differed by under 1%), a saddle that plain training did not leave. A linear
/// probe on the noun states, trained with the networks (<c>--placement-aux</c>), makes each noun carry its own place,
/// which the UNet can then read the way it reads a noun's colour. The probe is a training aid and is not exported.
/// </remarks>
internal sealed class PlacementTargets(IReadOnlyList<PlacementTargets.Label> labels, int scenes)
    : TokenProbeTargets<PlacementTargets.Label>(labels, scenes)
{
    public const int Dimensions = 2;

    /// <summary>One labelled noun: scene index, token position, direction.</summary>
    public readonly record struct Label(int Scene, int Token, float X, float Y) : ITokenLabel;

    public static PlacementTargets Build(IReadOnlyList<string> captions, ShapesTokenizer tokenizer)
    {
        var nounIds = NounIds(tokenizer);
        var labels = new List<Label>();
        for (var n = 0; n < captions.Count; n++)
        {
            if (Directions(captions[n]) is not { } directions) continue;
            var ids = tokenizer.Encode(captions[n]);
            var nouns = Enumerable.Range(0, ids.Length).Where(i => nounIds.Contains(ids[i])).ToArray();
            if (nouns.Length != directions.Length) continue;
            for (var g = 0; g < nouns.Length; g++)
            {
                if (directions[g] is { } d) labels.Add(new Label(n, nouns[g], d.X, d.Y));
            }
        }
        return new PlacementTargets(labels, captions.Count);
    }

    /// <summary>[N, 77, 2] directions, zero where unlabelled.</summary>
    protected override Tensor DenseTargets(IReadOnlyList<Label> labels, int scenes)
    {
        var targets = new float[scenes * ShapesTokenizer.MaxLength * Dimensions];
        foreach (var label in labels)
        {
            targets[At(label) * Dimensions] = label.X;
            targets[(At(label) * Dimensions) + 1] = label.Y;
        }

        return tensor(targets, [scenes, ShapesTokenizer.MaxLength, Dimensions]).DetachFromDisposeScope();
    }

    /// <summary>Each object group's direction, or null for a group without one; null when the caption places nothing.</summary>
    public static (float X, float Y)?[]? Directions(string caption)
    {
        SceneSpec spec;
        try
        {
            spec = PromptParser.Parse(caption);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (spec.Groups.Any(g => g.Shape == ShapeKind.Glyph)) return null;
        var directions = spec.Groups.Select(g => g.Placement is { } p ? Of(p) : ((float, float)?)null).ToArray();
        if (spec.Relation is { } relation)
        {
            var (x, y) = Of(relation.Kind);
            directions[relation.Subject] = (x, y);
            directions[relation.Reference] = (-x, -y);
        }
        return directions.Any(d => d is not null) ? directions : null;
    }

    private static (float X, float Y) Of(Placement placement) => placement switch
    {
        Placement.Left => (-1, 0),
        Placement.Right => (1, 0),
        Placement.Top => (0, -1),
        Placement.Bottom => (0, 1),
        _ => (0, 0),
    };

    private static (float X, float Y) Of(RelationKind kind) => kind switch
    {
        RelationKind.LeftOf => (-1, 0),
        RelationKind.RightOf => (1, 0),
        RelationKind.Above => (0, -1),
        _ => (0, 1),
    };

    /// <summary>Token ids of the shape nouns; each is one token in the generated vocabulary.</summary>
    private static HashSet<int> NounIds(ShapesTokenizer tokenizer) =>
        PromptParser.ShapeNounWords.Select(word => tokenizer.Encode(word)).Where(ids => ids[2] == tokenizer.EndId)
            .Select(ids => ids[1]).ToHashSet();
}
