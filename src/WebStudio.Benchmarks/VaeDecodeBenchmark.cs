using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;
using WebStudio.SdSynth;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// What Generation:VaeTileSize saves on the CPU: the SDXL-sized synthetic VAE decoder alone (float16, run in float32
/// as its force_upcast says) decoding one image whole and in tiles of each given side, with the seconds per decode and
/// the peak RSS growth of each. Each way gets a fresh session: ONNX Runtime's CPU arena keeps what it has grown to.
/// </summary>
internal static class VaeDecodeBenchmark
{
    public static void Run(string[] args)
    {
        var size = Int(args, "--size", 1024);
        var tiles = (Option(args, "--vae-tiles") ?? "0,512,256").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var decodes = Math.Max(1, Int(args, "--decodes", 2));
        var folder = SynthCache.Ensure(SdArchitecture.Sdxl, fp16: true, Option(args, "--cache"), Console.WriteLine);
        var config = ModelConfig.Read(folder);
        var load = new ModelLoadOptions { UseCuda = false };
        Console.WriteLine($"# The SDXL-sized VAE decoder at {size}², whole and in tiles ({decodes} decodes each, ONNX Runtime CPU, {Environment.ProcessorCount} cores)");
        Console.WriteLine("| tile | first decode (s) | later decodes, mean (s) | peak RSS growth (GB) |");
        Console.WriteLine("|---|---:|---:|---:|");

        var random = new Random(1);
        var side = size / config.VaeScaleFactor;
        var latents = new Latents([.. Enumerable.Range(0, 4 * side * side).Select(_ => (float)((random.NextDouble() * 2) - 1))], 1, 4, side, side);
        foreach (var tile in tiles)
        {
            SdScaleMemory.ReturnFreed();
            using var graph = OnnxComponent.Load(folder, "vae_decoder", load, NullLogger.Instance, upcast: config.ForceUpcast);
            var decoder = new VaeDecoder(graph, tile > 0 ? new VaeTiling(tile, config.VaeScaleFactor) : null);
            SdScaleMemory.ResetPeak();
            var before = SdScaleMemory.ResidentBytes;
            var seconds = new List<double>();
            for (var i = 0; i < decodes; i++)
            {
                var clock = Stopwatch.StartNew();
                _ = decoder.Decode(latents, null, static (pixels, _, _, _, _) => pixels.Length);
                seconds.Add(clock.Elapsed.TotalSeconds);
            }

            var later = seconds.Count > 1 ? seconds.Skip(1).Average().ToString("F1", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(tile > 0 ? $"{tile}²" : "whole")} | {seconds[0]:F1} | {later} | {SdScaleMemory.Gigabytes(SdScaleMemory.PeakResidentBytes - before)} |"));
        }
    }
}
