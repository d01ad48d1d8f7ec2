using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Editing;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>Edit triples are deterministic, exact (only what the instruction names changes) and split into
/// training and held-out scenes.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EditGeneratorTests
{
    public static TheoryData<EditKind> Kinds => [.. EditGenerator.Kinds];

    [Fact]
    public void Same_seed_and_index_give_the_same_triple_and_bytes()
    {
        for (var index = 0; index < 40; index++)
        {
            var a = new EditGenerator(77).Plan(index);
            var b = new EditGenerator(77).Plan(index);
            Assert.Equal(a.Kind, b.Kind);
            Assert.Equal(a.Instruction, b.Instruction);
            Assert.Equal(a.Request, b.Request);
            Assert.Equal(a.Edited, b.Edited);
            Assert.Equal(a.Input.Objects, b.Input.Objects);
            Assert.Equal(a.Output.Objects, b.Output.Objects);
            Assert.Equal(Bytes(a.RenderInput()), Bytes(b.RenderInput()));
            Assert.Equal(Bytes(a.RenderOutput()), Bytes(b.RenderOutput()));
        }
    }

    [Fact]
    public void Next_walks_the_indices_and_other_seeds_give_other_streams()
    {
        var generator = new EditGenerator(5);
        for (var index = 0; index < 10; index++)
        {
            var next = generator.Next();
            Assert.Equal(index, next.Index);
            Assert.Equal(generator.Plan(index).Instruction, next.Instruction);
        }
        var a = Enumerable.Range(0, 20).Select(i => new EditGenerator(1).Plan(i).Instruction);
        var b = Enumerable.Range(0, 20).Select(i => new EditGenerator(2).Plan(i).Instruction);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void An_unbiased_stream_draws_every_kind()
    {
        var kinds = Enumerable.Range(0, 700).Select(i => new EditGenerator(3).Plan(i).Kind).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(7, kinds.Count);
        Assert.All(kinds.Values, n => Assert.InRange(n, 60, 140));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_changes_exactly_what_its_instruction_asks(EditKind kind)
    {
        var generator = new EditGenerator(11);
        for (var index = 0; index < 150; index++)
        {
            var edit = generator.Plan(index, kind);
            Assert.Equal(kind, edit.Kind);
            AssertUntouchedKept(edit);
            AssertChangedAsAsked(edit);
            AssertApartAndInFrame(edit.Input);
            AssertApartAndInFrame(edit.Output);
        }
    }

    [Fact]
    public void Training_streams_never_draw_held_out_scenes_and_held_out_streams_only_draw_them()
    {
        for (var index = 0; index < 400; index++)
        {
            Assert.Equal(EditSplit.Training, SceneSplit.Of(new EditGenerator(index % 3).Plan(index).Input));
            Assert.Equal(EditSplit.HeldOut, SceneSplit.Of(new EditGenerator(index % 3, EditSplit.HeldOut).Plan(index).Input));
        }
    }

    [Fact]
    public void About_one_scene_in_eight_is_held_out()
    {
        var scenes = Enumerable.Range(0, 4000).Select(i => new SceneGenerator(9).Plan(i).Spec.Layout!).ToList();
        var share = scenes.Count(s => SceneSplit.Of(s) == EditSplit.HeldOut) / (double)scenes.Count;
        Assert.InRange(share, 0.09, 0.16);
    }

    [Fact]
    public void Unknown_kinds_and_splits_get_a_clear_error()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EditGenerator(1).Plan(0, (EditKind)42));
        Assert.Contains("edit kind", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EditGenerator(1, (EditSplit)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EditGenerator(1).Position = -1);
    }

    private static void AssertUntouchedKept(EditTriple edit)
    {
        var output = edit.Output.Objects.ToDictionary(o => o.Group);
        foreach (var kept in edit.Untouched) Assert.Equal(kept, output[kept.Group]);
        if (edit.Kind != EditKind.Background) Assert.Equal(edit.Input.Background, edit.Output.Background);
        // Every object of the output is either kept, edited or new.
        var inputIds = edit.Input.Objects.Select(o => o.Group).ToHashSet();
        Assert.All(edit.Output.Objects.Where(o => inputIds.Contains(o.Group) && !edit.Edited.Contains(o.Group)),
            o => Assert.Contains(o, edit.Input.Objects));
    }

    private static void AssertChangedAsAsked(EditTriple edit)
    {
        var r = edit.Request;
        var before = edit.Input.Objects.ToDictionary(o => o.Group);
        var after = edit.Output.Objects.ToDictionary(o => o.Group);
        var target = r.Target is { } id ? before[id] : null;
        switch (edit.Kind)
        {
            case EditKind.Recolour:
                Assert.Equal([target!.Group], edit.Edited);
                Assert.NotEqual(target.Colour, r.Colour);
                Assert.Equal(target with { Colour = r.Colour! }, after[target.Group]);
                Assert.Equal(edit.Input.Objects.Count, edit.Output.Objects.Count);
                break;
            case EditKind.Replace:
                Assert.Equal([target!.Group], edit.Edited);
                var replaced = after[target.Group];
                Assert.NotEqual(target.Shape, r.Shape);
                Assert.Equal((r.Shape, target.Colour), (replaced.Shape, replaced.Colour));
                Assert.Equal(target.Box.CentreX, replaced.Box.CentreX, 6);
                Assert.Equal(target.Box.CentreY, replaced.Box.CentreY, 6);
                break;
            case EditKind.Remove:
                Assert.Equal([target!.Group], edit.Edited);
                Assert.False(after.ContainsKey(target.Group));
                Assert.Equal(edit.Input.Objects.Count - 1, edit.Output.Objects.Count);
                break;
            case EditKind.Move:
                Assert.Equal([target!.Group], edit.Edited);
                var moved = after[target.Group];
                Assert.Equal((target.Shape, target.Colour, target.Box.Width, target.Box.Height), (moved.Shape, moved.Colour, moved.Box.Width, moved.Box.Height));
                Assert.Equal(r.Placement, DetectedObject.PlacementOf(moved.Box.CentreX, moved.Box.CentreY));
                Assert.NotEqual(r.Placement, DetectedObject.PlacementOf(target.Box.CentreX, target.Box.CentreY));
                break;
            case EditKind.Background:
                Assert.Empty(edit.Edited);
                Assert.NotEqual(edit.Input.Background, r.Background);
                Assert.Equal(r.Background, edit.Output.Background);
                Assert.Equal(edit.Input.Objects, edit.Output.Objects);
                Assert.All(edit.Output.Objects, o => Assert.True(o.Colour.DistanceSquared(r.Background!) >= 90 * 90));
                break;
            case EditKind.Count:
                var group = edit.Input.Objects.Where(o => o.Shape == r.Shape).ToList();
                Assert.Equal(group.Select(o => o.Group), edit.Edited);
                Assert.NotEqual(r.Count, group.Count);
                var counted = edit.Output.Objects.Where(o => o.Shape == r.Shape).ToList();
                Assert.Equal(r.Count, counted.Count);
                Assert.All(counted, o => Assert.Equal((group[0].Colour, group[0].Box.Width), (o.Colour, o.Box.Width)));
                // Members that stay, stay where they were.
                Assert.All(counted.Where(o => before.ContainsKey(o.Group)), o => Assert.Equal(before[o.Group], o));
                break;
            case EditKind.Add:
                Assert.Empty(edit.Edited);
                var added = Assert.Single(edit.Output.Objects, o => !before.ContainsKey(o.Group));
                Assert.Equal((r.Shape, r.Colour), (added.Shape, added.Colour));
                if (r.Size is { } size) Assert.Equal(size, Math.Max(added.Box.Width, added.Box.Height) >= DetectedObject.LargeThreshold ? SizeClass.Large : SizeClass.Small);
                if (r.Relation is { } relation)
                {
                    var reference = before[r.Reference!.Value];
                    Assert.True(Evaluator.Holds(relation, reference.Box.CentreX - added.Box.CentreX, reference.Box.CentreY - added.Box.CentreY));
                }
                else Assert.Equal(r.Placement, DetectedObject.PlacementOf(added.Box.CentreX, added.Box.CentreY));
                break;
        }
    }

    private static void AssertApartAndInFrame(SceneLayout layout)
    {
        Assert.InRange(layout.Objects.Count, 0, 4);
        Assert.Equal(layout.Objects.Count, layout.Objects.Select(o => o.Group).Distinct().Count());
        foreach (var o in layout.Objects)
        {
            Assert.True(o.Box.X >= 0 && o.Box.Y >= 0 && o.Box.Right <= SceneSpec.ImageSize && o.Box.Bottom <= SceneSpec.ImageSize, $"{o} leaves the frame");
            Assert.All(layout.Objects.Where(p => p != o), p => Assert.False(o.Box.Overlaps(p.Box, 2), $"{o} touches {p}"));
        }
    }

    private static byte[] Bytes(SixLabors.ImageSharp.Image<Rgb24> image)
    {
        using (image) return GeneratorTests.Bytes(image);
    }
}
