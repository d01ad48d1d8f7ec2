using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.ShapesWorld.Editing;
using WebStudio.ShapesWorld.Evaluation;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>The edit suite's cases, and what its two scores mean: a perfect edit scores at the ceiling, an untouched
/// input fails success but keeps preservation, and an edit that changes more than it was asked fails preservation.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EditSuiteTests
{
    private static readonly EditSuite Suite = EditSuite.Default;

    [Fact]
    public void The_suite_has_at_least_200_held_out_cases_spread_over_the_seven_kinds()
    {
        Assert.True(Suite.Cases.Count >= 200);
        var perKind = Suite.Cases.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(EditGenerator.Kinds, perKind.Keys.Order());
        Assert.All(perKind.Values, n => Assert.Equal(30, n));
        Assert.All(Suite.Cases, c => Assert.Equal(EditSplit.HeldOut, SceneSplit.Of(c.Edit.Input)));
        Assert.Equal(Suite.Cases.Count, Suite.Cases.Select(c => c.Id).Distinct().Count());
        Assert.StartsWith(EditSuite.Version + "-recolour-000", Suite.Cases[0].Id);
    }

    [Fact]
    public void The_suite_is_the_same_every_time_and_its_prefixes_are_stratified()
    {
        Assert.Equal(Suite.Cases.Select(c => c.Instruction), EditSuite.Default.Cases.Select(c => c.Instruction));
        var small = EditSuite.Small(42);
        Assert.Equal(Suite.Cases.Take(42), small.Cases);
        Assert.All(small.Cases.GroupBy(c => c.Kind), g => Assert.Equal(6, g.Count()));
        Assert.Throws<ArgumentOutOfRangeException>(() => EditSuite.Small(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => EditSuite.Small(211));
    }

    [Fact]
    public void The_tuning_suite_holds_other_held_out_cases_of_every_kind()
    {
        var tuning = EditSuite.Tuning;
        Assert.Equal(EditSuite.DefaultSize, tuning.Cases.Count);
        Assert.All(tuning.Cases.GroupBy(c => c.Kind), g => Assert.Equal(30, g.Count()));
        Assert.All(tuning.Cases, c => Assert.Equal(EditSplit.HeldOut, SceneSplit.Of(c.Edit.Input)));
        Assert.StartsWith(EditSuite.TuningVersion + "-recolour-000", tuning.Cases[0].Id);
        static string Scene(EditCase c) => $"{c.Edit.Input.Background} {string.Join(";", c.Edit.Input.Objects)}";
        var reported = Suite.Cases.Select(Scene).ToHashSet();
        var shared = tuning.Cases.Count(c => reported.Contains(Scene(c)));
        Assert.True(shared <= 2, $"{shared} tuning cases start from a reported case's scene");
    }

    [Fact]
    public void Exact_edits_score_at_the_ceiling()
    {
        var report = Suite.Evaluate(c => c.RenderExpected());
        Assert.Equal(1.0, report.Success, 3);
        Assert.Equal(1.0, report.Preservation, 3);
        Assert.Equal(7, report.SuccessPerKind.Count);
        Assert.Contains("overall", report.ToTable());
    }

    [Fact]
    public void Exact_edits_blurred_or_compressed_like_model_output_still_score_high()
    {
        var blurred = Suite.Evaluate(c =>
        {
            var image = c.RenderExpected();
            image.Mutate(x => x.GaussianBlur(1.2f));
            return image;
        });
        Assert.True(blurred.Success >= 0.95 && blurred.Preservation >= 0.95, blurred.ToTable());
        var jpeg = Suite.Evaluate(c =>
        {
            using var image = c.RenderExpected();
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = 70 });
            stream.Position = 0;
            return Image.Load<Rgb24>(stream);
        });
        Assert.True(jpeg.Success >= 0.95 && jpeg.Preservation >= 0.95, jpeg.ToTable());
    }

    [Fact]
    public void Returning_the_input_unchanged_fails_success_but_keeps_preservation()
    {
        var report = Suite.Evaluate(c => c.RenderInput());
        Assert.True(report.Success <= 0.02, report.ToTable());
        Assert.All(report.SuccessPerKind.Values, s => Assert.True(s <= 0.05, report.ToTable()));
        Assert.True(report.Preservation >= 0.98, report.ToTable());
    }

    [Fact]
    public void Recolouring_another_object_as_well_or_instead_fails_preservation()
    {
        var cases = Suite.Cases.Where(c => c.Kind == EditKind.Recolour && c.Edit.Untouched.Any()).ToList();
        Assert.True(cases.Count >= 10);
        foreach (var c in cases)
        {
            var bystander = c.Edit.Untouched.First();
            var colour = Palette.ObjectColoursOn(c.Edit.Input.Background).First(k => k != bystander.Colour && k != c.Edit.Request.Colour);
            var alsoOther = Score(c, c.Edit.Output with { Objects = Recoloured(c.Edit.Output, bystander.Group, colour) });
            Assert.True(alsoOther.Success, alsoOther.Reason);
            Assert.False(alsoOther.Preserved, alsoOther.Reason);
            var onlyOther = Score(c, c.Edit.Input with { Objects = Recoloured(c.Edit.Input, bystander.Group, colour) });
            Assert.False(onlyOther.Success, onlyOther.Reason);
            Assert.False(onlyOther.Preserved, onlyOther.Reason);
        }
    }

    [Fact]
    public void Moving_a_bystander_or_changing_the_background_unasked_fails_preservation()
    {
        foreach (var c in Suite.Cases.Where(c => c.Kind != EditKind.Background))
        {
            var other = Palette.BackgroundColours.First(b => b != c.Edit.Input.Background
                && c.Edit.Output.Objects.All(o => o.Colour.DistanceSquared(b) >= 90 * 90));
            var repainted = Score(c, c.Edit.Output with { Background = other });
            Assert.True(repainted.Success, repainted.Reason);
            Assert.False(repainted.Preserved, repainted.Reason);
        }
        var moves = Suite.Cases.Where(c => c.Kind == EditKind.Remove && c.Edit.Untouched.Any()).ToList();
        Assert.NotEmpty(moves);
        foreach (var c in moves)
        {
            // Dropping a kept object (as if it were moved out of the picture) loses it.
            var kept = c.Edit.Untouched.First();
            var outcome = Score(c, c.Edit.Output with { Objects = c.Edit.Output.Objects.Where(o => o.Group != kept.Group).ToArray() });
            Assert.True(outcome.Success, outcome.Reason);
            Assert.False(outcome.Preserved, outcome.Reason);
        }
    }

    [Fact]
    public void Scoring_a_missing_image_gets_a_clear_error()
    {
        Assert.Throws<ArgumentNullException>(() => EditScorer.Score(Suite.Cases[0].Edit, null!));
        Assert.Throws<ArgumentNullException>(() => Suite.Evaluate(null!));
    }

    private static PlacedObject[] Recoloured(SceneLayout layout, int group, NamedColour colour) =>
        layout.Objects.Select(o => o.Group == group ? o with { Colour = colour } : o).ToArray();

    private static EditOutcome Score(EditCase c, SceneLayout drawn)
    {
        using var image = SceneRenderer.Render(drawn);
        return EditScorer.Score(c.Edit, image);
    }
}
