using System.Globalization;
using System.Security.Cryptography;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 21 §4: the UNet with and without its per-job IOBinding (Generation:IoBinding), on one model folder (the
/// built-in webstudio-shapes at 128² unless told): the folder loaded twice, runs interleaved pair by pair so that
/// neither gets the quieter moments of the machine; medians of the denoising seconds per step, the seconds per image
/// and the bytes allocated per run, and whether the two drew the same images.
/// </summary>
internal static class IoBindingBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var folder = Option(args, "--model") ?? Path.Combine("models", "webstudio-shapes");
        var size = Int(args, "--size", 128);
        var steps = Int(args, "--steps", 20);
        var repeats = Int(args, "--repeats", 15);
        var batch = Int(args, "--batch", 1);
        var warmUps = Int(args, "--warm-up", 10);
        var load = new ModelLoadOptions { UseCuda = Option(args, "--provider") is "cuda", IntraOpThreads = Int(args, "--threads", 0) };
        using var bound = StableDiffusionModel.Load(folder, load with { IoBinding = true });
        using var plain = StableDiffusionModel.Load(folder, load with { IoBinding = false });
        var request = new GenerationRequest
        {
            Prompt = "a red circle above a blue square", NegativePrompt = "blurry", Steps = steps, Guidance = 7f, Seed = 42,
            Width = size, Height = size, Scheduler = "Euler a", BatchSize = batch,
        };

        Console.WriteLine($"# UNet with and without IOBinding: {folder} ({bound.Provider}), {size}², batch {batch}, {steps} steps, Euler a, CFG 7 " +
            $"(UNet batch {2 * batch}), {Environment.ProcessorCount} cores, {repeats} interleaved pairs after {warmUps} warm-up pairs; medians.");
        for (var i = 0; i < warmUps; i++)
        {
            await Measure(bound, request);
            await Measure(plain, request);
        }

        var identical = true;
        var withBinding = new List<Figures>();
        var without = new List<Figures>();
        for (var i = 0; i < repeats; i++)
        {
            // Alternate which goes first, so a drift in the machine's load falls on both alike.
            var (first, second) = i % 2 == 0 ? (bound, plain) : (plain, bound);
            var a = await Measure(first, request);
            var b = await Measure(second, request);
            identical &= a.ImageHash == b.ImageHash;
            withBinding.Add(ReferenceEquals(first, bound) ? a : b);
            without.Add(ReferenceEquals(first, bound) ? b : a);
        }

        Console.WriteLine("| UNet calls | s / step (denoising ÷ steps) | s / image (whole run ÷ batch) | MB allocated / run |");
        Console.WriteLine("|---|---|---|---|");
        Print("IOBinding (Generation:IoBinding=true)", withBinding);
        Print("plain Run (Generation:IoBinding=false)", without);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per pair, s / step with ÷ without: median {Percentiles.Median(withBinding.Zip(without, (w, o) => w.StepSeconds / o.StepSeconds)):F4}; " +
            $"images identical in every pair: {identical}; bindings made: {bound.UNet.IoBindingsMade}, calls through them: {bound.UNet.CallsThroughIoBinding}."));
    }

    private sealed record Figures(double StepSeconds, double ImageSeconds, double AllocatedMB, string ImageHash);

    private static async Task<Figures> Measure(StableDiffusionModel model, GenerationRequest request)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var result = await new StableDiffusionPipeline(model).RunAsync(request);
        var allocatedMB = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6;
        var image = result.Images[0].Image;
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return new Figures(result.Timings.Denoising.TotalSeconds / result.Timings.Steps, result.Timings.Total.TotalSeconds / request.BatchSize, allocatedMB,
            Convert.ToHexString(SHA256.HashData(pixels)));
    }

    private static void Print(string name, List<Figures> runs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentiles.Median(runs.Select(r => r.StepSeconds)):F5} | {Percentiles.Median(runs.Select(r => r.ImageSeconds)):F4} | {Percentiles.Median(runs.Select(r => r.AllocatedMB)):F2} |"));
    }
}
