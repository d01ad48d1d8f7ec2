using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld.Evaluation;
using Xunit.Abstractions;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// A small GenEval-style evaluation of the shipped model through the app's pipeline (20 steps, guidance 7,
/// DDIM, the suite's fixed seeds), so that a regression in the pipeline or in the model fails CI.
/// </summary>
[Collection(ShippedModelCollection.Name)]
public sealed class ShippedModelEvaluationTests(ShippedModel shipped, ITestOutputHelper output)
{
    /// <summary>
    /// The issue's floor for CI, on the whole suite: the shipped model measures 0.890 with DDIM (see
    /// models/webstudio-shapes/README.md), leaving room for another CPU's rounding to flip (an
    /// AVX2-only machine scored an earlier model exactly as the machine that measured it).
    /// </summary>
    public const double OverallFloor = 0.85;

    /// <summary>All 200 prompts of EvalSuite v1, the card's figure: a few seconds on 2 cores, and far steadier than
    /// a subset.</summary>
    public const int PromptCount = 200;

    [Fact]
    public void The_shipped_model_draws_what_the_prompts_ask_for()
    {
        var suite = EvalSuite.Default;
        var report = suite.Evaluate(prompt => Generate(prompt));

        output.WriteLine(report.ToTable());
        foreach (var (prompt, outcome) in report.Results)
        {
            output.WriteLine($"{(outcome.Correct ? "pass" : "FAIL")}  {prompt.Prompt}: {outcome.Reason}");
        }

        Assert.Equal(PromptCount, report.Results.Count);
        Assert.True(report.Overall >= OverallFloor,
            $"overall {report.Overall:F3} on {PromptCount} prompts fell below the shipped model's floor {OverallFloor:F2}");
    }

    private SixLabors.ImageSharp.Image<Rgb24> Generate(EvalPrompt prompt)
    {
        using var result = shipped.Pipeline.RunAsync(new GenerationRequest
        {
            Prompt = prompt.Prompt,
            Seed = prompt.Seed,
            Steps = 20,
            Guidance = 7f,
            Width = 128,
            Height = 128,
            Scheduler = "DDIM",
        }).GetAwaiter().GetResult();
        return result.Images[0].Image.Clone();
    }
}
