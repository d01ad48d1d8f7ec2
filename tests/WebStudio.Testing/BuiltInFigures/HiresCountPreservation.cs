using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.Testing.BuiltInFigures;

/// <summary>A prompt and seed whose first pass the hires fix enlarges.</summary>
public sealed record HiresCase(string Prompt, SceneSpec Spec, long Seed);

/// <summary>One strength's figures: of <see cref="Cases"/> first passes, how many kept their object count after the
/// 2× hires pass, and of the <see cref="FirstCorrect"/> the evaluator passed, how many it still passes.</summary>
public sealed record HiresRow(float Strength, int Cases, int CountKept, int FirstCorrect, int StillCorrect)
{
    public double KeptRate => Cases == 0 ? 0 : (double)CountKept / Cases;
    public double StillCorrectRate => FirstCorrect == 0 ? 0 : (double)StillCorrect / FirstCorrect;
}

/// <summary>
/// Issue 20's hires-fix duplication, measured: a 128² first pass, then the Edit page's 2× hires fix (Lanczos, then
/// img2img at 256² with the same prompt, seed and sampler) at each strength; the result is scaled back to 128² and
/// its objects counted by the evaluator's analysis. The count is kept when it equals the first pass's.
/// </summary>
public static class HiresCountPreservation
{
    /// <summary>The issue's own reproduction.</summary>
    public const string IssuePrompt = "a red circle above a blue square";

    /// <summary>The evaluation suite's two-object prompts, each with its suite seed.</summary>
    public static IReadOnlyList<HiresCase> SuiteTwoObjectCases() =>
        EvalSuite.Default.Prompts.Where(p => p.Category == Category.TwoObjects).Select(p => new HiresCase(p.Prompt, p.Spec, p.Seed)).ToList();

    /// <summary>The issue's prompt over seeds 1..<paramref name="seeds"/>.</summary>
    public static IReadOnlyList<HiresCase> IssueCases(int seeds) =>
        Enumerable.Range(1, seeds).Select(s => new HiresCase(IssuePrompt, PromptParser.Parse(IssuePrompt), s)).ToList();

    public static async Task<IReadOnlyList<HiresRow>> MeasureAsync(
        StableDiffusionPipeline pipeline, IReadOnlyList<HiresCase> cases, IReadOnlyList<float> strengths, string sampler = "Euler a", int steps = 20)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var kept = new int[strengths.Count];
        var stillCorrect = new int[strengths.Count];
        var firstCorrect = 0;
        foreach (var c in cases)
        {
            var request = new GenerationRequest { Prompt = c.Prompt, Seed = c.Seed, Steps = steps, Guidance = 7f, Width = 128, Height = 128, Scheduler = sampler };
            using var first = await pipeline.RunAsync(request);
            var firstImage = first.Images[0].Image;
            var firstCount = ImageAnalysis.Analyze(firstImage).Objects.Count;
            var wasCorrect = Evaluator.Score(c.Spec, firstImage).Correct;
            firstCorrect += wasCorrect ? 1 : 0;
            for (var i = 0; i < strengths.Count; i++)
            {
                var second = HiresFix.Plan(request, firstImage, factor: 2, strength: strengths[i]);
                try
                {
                    using var result = await pipeline.RunAsync(second);
                    using var back = result.Images[0].Image.Clone(x => x.Resize(128, 128, KnownResamplers.Lanczos3));
                    kept[i] += ImageAnalysis.Analyze(back).Objects.Count == firstCount ? 1 : 0;
                    stillCorrect[i] += wasCorrect && Evaluator.Score(c.Spec, back).Correct ? 1 : 0;
                }
                finally
                {
                    second.InitImage!.Dispose();
                }
            }
        }

        return strengths.Select((s, i) => new HiresRow(s, cases.Count, kept[i], firstCorrect, stillCorrect[i])).ToList();
    }
}
