using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.Testing.BuiltInFigures;

/// <summary>One sampler's evaluator score over a grid of prompts and seeds.</summary>
public sealed record SamplerScore(string Sampler, int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Every sampler on the built-in model over the same prompts and seeds, scored by ShapesWorld's evaluator, so a
/// sampler that draws worse than DDIM (PLMS's blobs, issue 20) shows as a lower score. The test holds each within a
/// margin of DDIM; the benchmark (builtin-figures samplers) prints the table.
/// </summary>
public static class SamplerAgreement
{
    /// <summary>The first <paramref name="count"/> prompts of the evaluation suite, round-robin over its categories.</summary>
    public static IReadOnlyList<EvalPrompt> Prompts(int count) => EvalSuite.Small(count).Prompts;

    /// <summary>Each prompt runs with its suite seed and the <paramref name="seedsPerPrompt"/> − 1 seeds after it.</summary>
    public static async Task<IReadOnlyList<SamplerScore>> MeasureAsync(
        StableDiffusionPipeline pipeline, IReadOnlyList<string> samplers, IReadOnlyList<EvalPrompt> prompts, int seedsPerPrompt,
        int steps = 20, float guidance = 7f, float guidanceRescale = 0f)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var scores = new List<SamplerScore>();
        foreach (var sampler in samplers)
        {
            var correct = 0;
            foreach (var prompt in prompts)
            {
                for (var k = 0; k < seedsPerPrompt; k++)
                {
                    using var result = await pipeline.RunAsync(new GenerationRequest
                    {
                        Prompt = prompt.Prompt,
                        Steps = steps,
                        Guidance = guidance,
                        GuidanceRescale = guidanceRescale,
                        Seed = prompt.Seed + k,
                        Width = 128,
                        Height = 128,
                        Scheduler = sampler,
                    });
                    correct += Evaluator.Score(prompt.Spec, result.Images[0].Image).Correct ? 1 : 0;
                }
            }

            scores.Add(new SamplerScore(sampler, correct, prompts.Count * seedsPerPrompt));
        }

        return scores;
    }
}
