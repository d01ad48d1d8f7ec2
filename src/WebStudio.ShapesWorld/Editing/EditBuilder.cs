using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// Draws one edit of a kind: an input scene, a request that names its object unambiguously, and the exact edited
/// scene, where every object the request does not change keeps its shape, colour, place and size. Returns null
/// when the drawn scene does not allow the edit (the caller draws again from the same generator).
/// </summary>
internal static class EditBuilder
{
    private sealed record Draft(IReadOnlyList<SceneObject> Input, IReadOnlyList<SceneObject> Output, EditRequest Request,
        IReadOnlyList<int> Edited, NamedColour? NewBackground = null);

    /// <summary>Relations of added objects hold by this many pixels more than the evaluator asks.</summary>
    private const double RelationSlack = 6;
    /// <summary>A moved object ends at least this far from where it was (well beyond the scorer's place tolerance).</summary>
    private const double MinMove = 24;

    private static readonly int[] ObjectCounts = [1, 2, 2, 2, 3, 3, 3];

    public static EditTriple? TryBuild(EditKind kind, DeterministicRandom rng)
    {
        var background = rng.Pick(Palette.BackgroundColours);
        var colours = Palette.ObjectColoursOn(background);
        var draft = kind switch
        {
            EditKind.Recolour => Recolour(rng, colours),
            EditKind.Add => Add(rng, colours),
            EditKind.Remove => Remove(rng, colours),
            EditKind.Move => Move(rng, colours),
            EditKind.Background => Background(rng, colours, background),
            EditKind.Count => Count(rng, colours),
            EditKind.Replace => Replace(rng, colours),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown edit kind"),
        };
        if (draft is null) return null;
        var input = new SceneLayout(background, draft.Input.Select(o => o.ToPlaced()).ToArray());
        var output = new SceneLayout(draft.NewBackground ?? background, draft.Output.Select(o => o.ToPlaced()).ToArray());
        var instruction = EditInstructions.Describe(draft.Request, input, rng);
        return new EditTriple(kind, input, instruction, output, draft.Request, draft.Edited, 0, 0);
    }

    private static Draft? Recolour(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (SceneWithTarget(rng, colours) is not (var scene, var t)) return null;
        var colour = rng.Pick(colours.Where(c => c != t.Colour).ToArray());
        return new Draft(scene, Swap(scene, t with { Colour = colour }), new EditRequest(EditKind.Recolour, Target: t.Id, Colour: colour), [t.Id]);
    }

    private static Draft? Replace(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (SceneWithTarget(rng, colours) is not (var scene, var t)) return null;
        // The same diameter keeps the footprint, so the new shape cannot touch a neighbour.
        var shape = rng.Pick(SceneGenerator.Shapes.Where(s => s != t.Shape).ToArray());
        return new Draft(scene, Swap(scene, t with { Shape = shape }), new EditRequest(EditKind.Replace, Target: t.Id, Shape: shape), [t.Id]);
    }

    private static Draft? Remove(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (SceneWithTarget(rng, colours) is not (var scene, var t)) return null;
        return new Draft(scene, scene.Where(o => o != t).ToArray(), new EditRequest(EditKind.Remove, Target: t.Id), [t.Id]);
    }

    private static Draft? Move(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (SceneWithTarget(rng, colours) is not (var scene, var t)) return null;
        var others = scene.Where(o => o != t).ToArray();
        // Try the other placements in a random order: in a full scene only some of them have room.
        var placements = Enum.GetValues<Placement>().Where(p => p != t.Placement).OrderBy(_ => rng.NextUInt64()).ToArray();
        foreach (var placement in placements)
        {
            var centre = EditScene.Find(others, t.Diameter, () => LayoutPlanner.At(placement, t.Diameter, rng),
                (x, y) => DetectedObject.PlacementOf(x, y) == placement && Math.Max(Math.Abs(x - t.X), Math.Abs(y - t.Y)) >= MinMove);
            if (centre is var (cx, cy))
                return new Draft(scene, Swap(scene, t with { X = cx, Y = cy }), new EditRequest(EditKind.Move, Target: t.Id, Placement: placement), [t.Id]);
        }
        return null;
    }

    private static Draft? Background(DeterministicRandom rng, IReadOnlyList<NamedColour> colours, NamedColour old)
    {
        if (RandomScene(rng, colours, rng.Pick(ObjectCounts)) is not { } scene) return null;
        var limit = Palette.MinBackgroundSeparation * Palette.MinBackgroundSeparation;
        var choices = Palette.BackgroundColours
            .Where(b => b != old && scene.All(o => o.Colour.DistanceSquared(b) >= limit)).ToArray();
        if (choices.Length == 0) return null;
        var background = rng.Pick(choices);
        return new Draft(scene, scene, new EditRequest(EditKind.Background, Background: background), [], background);
    }

    private static Draft? Add(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (RandomScene(rng, colours, rng.Pick(ObjectCounts)) is not { } scene) return null;
        var shape = rng.Pick(SceneGenerator.Shapes);
        var colour = rng.Pick(colours);
        var size = rng.Chance(0.5) ? SizeClass.Small : SizeClass.Large;
        var d = LayoutPlanner.Diameter(size, rng);
        var stated = rng.Chance(0.3) ? size : (SizeClass?)null;
        var placed = scene.Select(o => o.ToPlaced()).ToArray();
        var references = scene.Where((o, i) => EditScene.CanName(placed, placed[i])).ToArray();
        EditRequest request;
        (double X, double Y)? centre;
        if (references.Length > 0 && rng.Chance(0.5))
        {
            var reference = rng.Pick(references);
            var relation = rng.Pick(Enum.GetValues<RelationKind>());
            centre = EditScene.Find(scene, d, () => EditScene.Anywhere(d, rng),
                (x, y) => Evaluator.Holds(relation, reference.X - x, reference.Y - y, RelationSlack));
            request = new EditRequest(EditKind.Add, Colour: colour, Shape: shape, Size: stated, Relation: relation, Reference: reference.Id);
        }
        else
        {
            var placement = rng.Pick(Enum.GetValues<Placement>());
            centre = EditScene.Find(scene, d, () => LayoutPlanner.At(placement, d, rng), (x, y) => DetectedObject.PlacementOf(x, y) == placement);
            request = new EditRequest(EditKind.Add, Colour: colour, Shape: shape, Size: stated, Placement: placement);
        }
        if (centre is not (var cx, var cy)) return null;
        return new Draft(scene, [.. scene, new SceneObject(scene.Count, shape, colour, cx, cy, d)], request, []);
    }

    /// <summary>"make it three stars": a group of one shape and colour grows or shrinks; other shapes may stand beside it.</summary>
    private static Draft? Count(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        var shape = rng.Pick(SceneGenerator.Shapes);
        var colour = rng.Pick(colours);
        var from = rng.NextInt(1, 4);
        var to = rng.Pick(Enumerable.Range(1, 4).Where(n => n != from).ToArray());
        // Three or four large objects do not fit side by side in 128 px.
        var size = Math.Max(from, to) >= 3 || rng.Chance(0.5) ? SizeClass.Small : SizeClass.Large;
        var d = LayoutPlanner.Diameter(size, rng);
        var scene = new List<SceneObject>();
        for (var i = 0; i < from; i++)
        {
            if (EditScene.Find(scene, d, () => EditScene.Anywhere(d, rng)) is not (var x, var y)) return null;
            scene.Add(new SceneObject(i, shape, colour, x, y, d));
        }
        if (Math.Max(from, to) < 4 && rng.Chance(0.8))
        {
            var other = rng.Pick(SceneGenerator.Shapes.Where(s => s != shape).ToArray());
            var od = LayoutPlanner.Diameter(SizeClass.Small, rng);
            if (EditScene.Find(scene, od, () => EditScene.Anywhere(od, rng)) is not (var x, var y)) return null;
            scene.Add(new SceneObject(from, other, rng.Pick(colours), x, y, od));
        }
        var group = scene.Where(o => o.Shape == shape).ToList();
        var output = new List<SceneObject>(scene);
        for (var i = from; i > to; i--)
        {
            var dropped = group[rng.NextInt(group.Count)];
            group.Remove(dropped);
            output.Remove(dropped);
        }
        for (var i = from; i < to; i++)
        {
            if (EditScene.Find(output, d, () => EditScene.Anywhere(d, rng)) is not (var x, var y)) return null;
            output.Add(new SceneObject(scene.Count + i - from, shape, colour, x, y, d));
        }
        return new Draft(scene, output, new EditRequest(EditKind.Count, Shape: shape, Count: to),
            scene.Where(o => o.Shape == shape).Select(o => o.Id).ToArray());
    }

    /// <summary>A random scene and one object in it that an instruction can name unambiguously.</summary>
    private static (IReadOnlyList<SceneObject> Scene, SceneObject Target)? SceneWithTarget(DeterministicRandom rng, IReadOnlyList<NamedColour> colours)
    {
        if (RandomScene(rng, colours, rng.Pick(ObjectCounts)) is not { } scene) return null;
        var placed = scene.Select(o => o.ToPlaced()).ToArray();
        var nameable = scene.Where((o, i) => EditScene.CanName(placed, placed[i])).ToArray();
        return nameable.Length == 0 ? null : (scene, rng.Pick(nameable));
    }

    /// <summary>
    /// <paramref name="count"/> objects of random shape, colour and size; a quarter of them repeat an earlier
    /// shape, so instructions often need the colour to say which one they mean.
    /// </summary>
    private static IReadOnlyList<SceneObject>? RandomScene(DeterministicRandom rng, IReadOnlyList<NamedColour> colours, int count)
    {
        var scene = new List<SceneObject>();
        for (var i = 0; i < count; i++)
        {
            var shape = i > 0 && rng.Chance(0.25) ? scene[rng.NextInt(i)].Shape : rng.Pick(SceneGenerator.Shapes);
            var d = LayoutPlanner.Diameter(rng.Chance(0.5) ? SizeClass.Small : SizeClass.Large, rng);
            if (EditScene.Find(scene, d, () => EditScene.Anywhere(d, rng)) is not (var x, var y)) return null;
            scene.Add(new SceneObject(i, shape, rng.Pick(colours), x, y, d));
        }
        return scene;
    }

    private static SceneObject[] Swap(IReadOnlyList<SceneObject> scene, SceneObject changed) =>
        scene.Select(o => o.Id == changed.Id ? changed : o).ToArray();
}
