using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;
using WebStudio.SdSynth;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// What Generation:VaeTileSize saves on the CPU: the SDXL-sized synthetic VAE decoder (vae-decode) or encoder
/// (vae-encode) alone (float16, run in float32 as its force_upcast says) on one image, whole and in tiles of each given
/// side, with the seconds per run and the peak RSS growth of each. Each way gets a fresh session: ONNX Runtime's CPU
/// arena keeps what it has grown to.
/// </summary>
internal static class VaeTilingBenchmark
{
    public static void Run(string[] args, bool encode)
    {
        var size = Int(args, "--size", 1024);
        var tiles = (Option(args, "--vae-tiles") ?? "0,512,256").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var runs = Math.Max(1, Int(args, "--runs", 2));
        var folder = SynthCache.Ensure(SdArchitecture.Sdxl, fp16: true, Option(args, "--cache"), Console.WriteLine);
        var config = ModelConfig.Read(folder);
        var load = new ModelLoadOptions { UseCuda = false };
        var what = encode ? "encode" : "decode";
        Console.WriteLine($"# The SDXL-sized VAE {what}r at {size}², whole and in tiles ({runs} {what}s each, ONNX Runtime CPU, {Environment.ProcessorCount} cores)");
        Console.WriteLine($"| tile | first {what} (s) | later {what}s, mean (s) | peak RSS growth (GB) |");
        Console.WriteLine("|---|---:|---:|---:|");

        var random = new Random(1);
        var side = encode ? size : size / config.VaeScaleFactor;
        var channels = encode ? 3 : 4;
        var input = new Latents([.. Enumerable.Range(0, channels * side * side).Select(_ => (float)((random.NextDouble() * 2) - 1))], 1, channels, side, side);
        foreach (var tile in tiles)
        {
            SdScaleMemory.ReturnFreed();
            using var graph = OnnxComponent.Load(folder, encode ? "vae_encoder" : "vae_decoder", load, NullLogger.Instance, upcast: config.ForceUpcast);
            var tiling = VaeTiling.OfSize(tile, config.VaeScaleFactor);
            // The encoder or decoder only wraps the graph, which is disposed above.
            Action run;
            if (encode)
            {
                var encoder = new VaeEncoder(graph, tiling);
                run = () => encoder.Encode(input, null, null);
            }
            else
            {
                var decoder = new VaeDecoder(graph, tiling);
                run = () => decoder.Decode(input, null, static (pixels, _, _, _, _) => pixels.Length);
            }

            SdScaleMemory.ResetPeak();
            var before = SdScaleMemory.ResidentBytes;
            var seconds = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                run();
                seconds.Add(clock.Elapsed.TotalSeconds);
            }

            var later = seconds.Count > 1 ? seconds.Skip(1).Average().ToString("F1", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(tile > 0 ? $"{tile}²" : "whole")} | {seconds[0]:F1} | {later} | {SdScaleMemory.Gigabytes(SdScaleMemory.PeakResidentBytes - before)} |"));
        }
    }
}
