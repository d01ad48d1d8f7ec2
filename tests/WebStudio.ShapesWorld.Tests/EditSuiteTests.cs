using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Editing;
using WebStudio.ShapesWorld.Evaluation;
using Xunit.Abstractions;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>The edit suite's cases and what its two scores mean: a perfect edit scores at the ceiling, an untouched
/// input fails success but keeps preservation, and an edit of the wrong object fails preservation.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EditSuiteTests(ITestOutputHelper output)
{
    private static readonly EditSuite Suite = EditSuite.Default;

    [Fact]
    public void Exact_edits_score_at_the_ceiling()
    {
        var report = Suite.Evaluate(c => c.RenderExpected());
        output.WriteLine(report.ToTable());
        foreach (var (c, o) in report.Results.Where(r => !r.Outcome.Success || !r.Outcome.Preserved))
            output.WriteLine($"{c.Id} '{c.Instruction}': {o.Reason}");
        var unchanged = Suite.Evaluate(c => c.RenderInput());
        output.WriteLine(unchanged.ToTable());
        Assert.True(report.Success >= 0.97, report.ToTable());
    }
}
