using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>
/// How much time a run spends outside ONNX Runtime: pipeline wall time ÷ Σ Run time, for a 20-step run with CFG,
/// without a callback and with one that computes the latent→RGB preview on every step; and the cost of TAESD previews
/// (a TAESD-sized synthetic decoder) on every step and every 4 steps, as generation time ÷ generation without previews.
/// </summary>
internal static class PipelineOverheadBenchmark
{
    public static async Task RunAsync(string modelFolder, int size, int repeats, string scheduler = "Euler a")
    {
        var load = new ModelLoadOptions();
        using var model = StableDiffusionModel.Load(modelFolder, load);
        using var taesd = new SyntheticTaesd(load);
        var pipeline = new StableDiffusionPipeline(model);
        var request = new GenerationRequest
        {
            Prompt = "a red circle above a blue square",
            NegativePrompt = "blurry",
            Steps = 20,
            Guidance = 7f,
            Seed = 42,
            Width = size,
            Height = size,
            Scheduler = scheduler,
        };

        Console.WriteLine($"Model: {modelFolder} ({model.Provider}), {size}x{size}, {scheduler}, 20 steps, CFG 7, {Environment.ProcessorCount} cores, median of {repeats}");
        // Warm-up: the first runs allocate ORT's arenas, and .NET's tiered JIT (with dynamic PGO) moves hot methods
        // through instrumented code to optimised code over the first hundreds of calls; a server is measured warm.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 10 || warmUp.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            (await pipeline.RunAsync(request, i % 2 == 0 ? null : new PreviewEveryStep())).Dispose();
        }

        var gcPause = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        // Interleaved, so that neither kind of run gets the quieter moments of the machine.
        var plainRuns = new List<(double Wall, double Run)>();
        var previewRuns = new List<(double Wall, double Run)>();
        for (var i = 0; i < repeats; i++)
        {
            plainRuns.Add(await Measure(pipeline, request, null));
            previewRuns.Add(await Measure(pipeline, request, new PreviewEveryStep()));
        }

        var plain = Summarise(plainRuns);
        var preview = Summarise(previewRuns);

        var runs = 2 * repeats;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per run: {(GC.GetTotalAllocatedBytes() - allocated) / 1e6 / runs:F2} MB allocated, {(GC.GetTotalPauseDuration() - gcPause).TotalMilliseconds / runs:F3} ms in GC pauses, {(GC.CollectionCount(0) - collections) / (double)runs:F2} collections"));
        Console.WriteLine("| run | wall (s) | Σ ORT Run (s) | outside ORT (ms) | wall ÷ Run | goal |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Print("no callback", plain, "≤ 1.02");
        Print("latent→RGB preview every step", preview, "≤ 1.03");

        await TaesdCostAsync(pipeline, request, taesd, size, repeats);
    }

    /// <summary>TAESD previews' cost, in runs of their own (after the figures above, which they leave as they were),
    /// interleaved with runs without previews. Its decodes are outside the pipeline's Σ Run, so the cost is told as
    /// generation time ÷ generation time without previews.</summary>
    private static async Task TaesdCostAsync(StableDiffusionPipeline pipeline, GenerationRequest request, SyntheticTaesd taesd, int size, int repeats)
    {
        (await pipeline.RunAsync(request, new TaesdPreviews(taesd.Decoder, every: 1))).Dispose(); // ORT's arenas for the decoder
        var plainRuns = new List<(double Wall, double Run)>();
        var everyStepRuns = new List<(double Wall, double Run)>();
        var every4Runs = new List<(double Wall, double Run)>();
        for (var i = 0; i < repeats; i++)
        {
            plainRuns.Add(await Measure(pipeline, request, null));
            everyStepRuns.Add(await Measure(pipeline, request, new TaesdPreviews(taesd.Decoder, every: 1)));
            every4Runs.Add(await Measure(pipeline, request, new TaesdPreviews(taesd.Decoder, every: 4)));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TAESD previews (synthetic, {taesd.Parameters:N0} parameters, {taesd.Decoder.DisplayName}): one decode of {size}x{size} takes {DecodeMs(taesd.Decoder, size):F2} ms, of 512x512 {DecodeMs(taesd.Decoder, 512):F2} ms"));
        Console.WriteLine("| previews | wall (s) | ÷ no previews |");
        Console.WriteLine("|---|---|---|");
        PrintCost("none", plainRuns, plainRuns);
        PrintCost("TAESD every step", everyStepRuns, plainRuns);
        PrintCost("TAESD every 4 steps", every4Runs, plainRuns);
    }

    /// <summary>Median wall time of <paramref name="runs"/> and the median of the per-repeat ratios to the run without
    /// previews measured beside it (interleaved, so that each pair shares the machine's mood).</summary>
    private static void PrintCost(string name, List<(double Wall, double Run)> runs, List<(double Wall, double Run)> plain) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentiles.Median(runs.Select(r => r.Wall)):F3} | {Percentiles.Median(runs.Zip(plain, (r, p) => r.Wall / p.Wall)):F3} |"));

    /// <summary>Median milliseconds of one TAESD decode of a <paramref name="size"/>² picture (after a warm-up).</summary>
    private static double DecodeMs(TinyAutoencoderDecoder decoder, int size)
    {
        var latents = new Generation.Tensors.Latents(new Generation.Tensors.GaussianNoise(1).Next(4 * (size / 8) * (size / 8)), 1, 4, size / 8, size / 8);
        _ = decoder.Decode(latents);
        var times = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = decoder.Decode(latents);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Percentiles.Median(times);
    }

    private static void Print(string name, (double Wall, double Run, double Outside, double Ratio) figures, string goal) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {figures.Wall:F3} | {figures.Run:F3} | {figures.Outside * 1000:F2} | {figures.Ratio:F4} | {goal} |"));

    private static async Task<(double Wall, double Run)> Measure(StableDiffusionPipeline pipeline, GenerationRequest request, IStepCallback? callback)
    {
        var start = Stopwatch.GetTimestamp();
        using var result = await pipeline.RunAsync(request, callback);
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, result.Timings.OrtRun.TotalSeconds);
    }

    /// <summary>Medians of the wall time, the Run time, the time outside Run and the per-run ratio (the median ratio, so
    /// that one run slowed by another process on the machine does not decide the figure).</summary>
    private static (double Wall, double Run, double Outside, double Ratio) Summarise(List<(double Wall, double Run)> runs) =>
        (Percentiles.Median(runs.Select(r => r.Wall)), Percentiles.Median(runs.Select(r => r.Run)), Percentiles.Median(runs.Select(r => r.Wall - r.Run)), Percentiles.Median(runs.Select(r => r.Wall / r.Run)));

    /// <summary>The studio's previews through a tiny decoder: a fresh frame every <c>every</c> steps (and on the last).</summary>
    private sealed class TaesdPreviews(TinyAutoencoderDecoder decoder, int every) : IStepCallback
    {
        private readonly StepPreviews _previews = new(PreviewSource.Tiny(decoder), every, ModelFamily.StableDiffusion, NullLogger.Instance);

        public bool OnStep(StepProgress progress)
        {
            _ = _previews.Frame(progress);
            return true;
        }
    }

    private sealed class PreviewEveryStep : IStepCallback
    {
        public bool OnStep(StepProgress progress)
        {
            _ = LatentRgbPreview.Decode(progress.PredictedOriginal);
            return true;
        }
    }
}
