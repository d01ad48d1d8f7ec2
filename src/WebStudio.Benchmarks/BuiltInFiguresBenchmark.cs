using System.Globalization;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.BuiltInFigures;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 20's measurements on the built-in model, scored by ShapesWorld's evaluator: every sampler against DDIM
/// (PLMS), CFG rescale against a high CFG scale, the hires fix's object counts by strength (its default), and
/// inpainting by area, padding and prompt (the inpaint defaults). The tests hold floors on the same code
/// (tests/WebStudio.Testing/BuiltInFigures).
/// </summary>
internal static class BuiltInFiguresBenchmark
{
    public static async Task RunAsync(string[] options)
    {
        var folder = Option(options, "--model") ?? Path.Combine("models", "webstudio-shapes");
        var only = (Option(options, "--only") ?? "samplers,rescale,hires,inpaint").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var seeds = Int(options, "--seeds", 20);
        var steps = Int(options, "--steps", 20);
        IReadOnlyList<string> samplers = Option(options, "--samplers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? SchedulerNames.All;
        if (samplers.FirstOrDefault(s => !SchedulerNames.All.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"--samplers names '{unknown}', which is none of: {string.Join(", ", SchedulerNames.All)}");
        }

        using var model = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false });
        var pipeline = new StableDiffusionPipeline(model);
        Console.WriteLine($"Model: {folder}, 128², {steps} steps for samplers (20 for the rest), CFG 7, CPU ({Environment.ProcessorCount} cores)");

        if (only.Contains("samplers"))
        {
            var prompts = SamplerAgreement.Prompts(14);
            var perPrompt = Int(options, "--seeds-per-prompt", 4);
            // DDIM is the baseline every row is read against.
            samplers = samplers.Contains(SchedulerNames.Ddim) ? samplers : [SchedulerNames.Ddim, .. samplers];
            foreach (var guidance in new[] { 7f, 12f })
            {
                Console.WriteLine($"\nSamplers: {prompts.Count} suite prompts (2 per category) × {perPrompt} seeds, {steps} steps, CFG {guidance}");
                Console.WriteLine("| sampler | correct | accuracy | − DDIM |");
                Console.WriteLine("|---|---:|---:|---:|");
                var scores = await SamplerAgreement.MeasureAsync(pipeline, samplers, prompts, perPrompt, steps, guidance);
                var ddim = scores.Single(s => s.Sampler == SchedulerNames.Ddim).Accuracy;
                foreach (var s in scores)
                {
                    Console.WriteLine(Invariant($"| {s.Sampler} | {s.Correct}/{s.Total} | {s.Accuracy:0.000} | {s.Accuracy - ddim:+0.000;−0.000;0.000} |"));
                }
            }
        }

        if (only.Contains("rescale"))
        {
            // CFG rescale: a high CFG scale's over-exposure pulled back (Euler a, the studio's default sampler).
            var prompts = SamplerAgreement.Prompts(14);
            var perPrompt = Int(options, "--seeds-per-prompt", 4);
            Console.WriteLine($"\nCFG rescale: {prompts.Count} suite prompts × {perPrompt} seeds, {steps} steps, Euler a");
            Console.WriteLine("| CFG scale | CFG rescale | correct | accuracy |");
            Console.WriteLine("|---:|---:|---:|---:|");
            foreach (var guidance in new[] { 7f, 12f, 20f })
            {
                foreach (var rescale in new[] { 0f, 0.5f, 0.7f })
                {
                    var score = (await SamplerAgreement.MeasureAsync(pipeline, [SchedulerNames.EulerAncestral], prompts, perPrompt, steps, guidance, rescale)).Single();
                    Console.WriteLine(Invariant($"| {guidance:0} | {rescale:0.0} | {score.Correct}/{score.Total} | {score.Accuracy:0.000} |"));
                }
            }
        }

        if (only.Contains("hires"))
        {
            float[] strengths = [0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f];
            foreach (var (name, cases) in new[]
            {
                ("the suite's two-object prompts, each with its seed", HiresCountPreservation.SuiteTwoObjectCases()),
                ($"\"{HiresCountPreservation.IssuePrompt}\", seeds 1–{seeds}", HiresCountPreservation.IssueCases(seeds)),
            })
            {
                Console.WriteLine($"\nHires fix 2× (Euler a), {name}: {cases.Count} first passes");
                Console.WriteLine("| strength | object count kept | evaluator still passes |");
                Console.WriteLine("|---:|---:|---:|");
                foreach (var row in await HiresCountPreservation.MeasureAsync(pipeline, cases, strengths))
                {
                    Console.WriteLine(Invariant($"| {row.Strength:0.00} | {row.CountKept}/{row.Cases} ({row.KeptRate:P0}) | {row.StillCorrect}/{row.FirstCorrect} ({row.StillCorrectRate:P0}) |"));
                }
            }
        }

        if (only.Contains("inpaint"))
        {
            InpaintArea[] areas = [InpaintArea.WholePicture, InpaintArea.OnlyMasked(0), InpaintArea.OnlyMasked(8), InpaintArea.OnlyMasked(16), InpaintArea.OnlyMasked(32)];
            foreach (var scenario in new[] { InpaintModes.ReplaceTheCircle, InpaintModes.AddToACorner })
            {
                Console.WriteLine($"\nInpainting (Euler a), {scenario.Name}: \"{scenario.ScenePrompt}\", {seeds} scenes; prompts \"{scenario.WholePrompt}\" / \"{scenario.NewObjectPrompt}\"");
                Console.WriteLine("| prompt | area | strength | exactly the new object in the mask |");
                Console.WriteLine("|---|---|---:|---:|");
                foreach (var row in await InpaintModes.MeasureAsync(pipeline, scenario, seeds, areas, [0.75f, 1f], [false, true]))
                {
                    Console.WriteLine(Invariant($"| {(row.NewObjectPrompt ? "new object only" : "whole picture")} | {row.Area} | {row.Strength:0.00} | {row.Hits}/{row.Total} ({row.Rate:P0}) |"));
                }
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
