using System.Diagnostics;
using WebStudio.SdSynth;

// Writes an SD 1.5-sized (or SDXL-sized) synthetic model folder (seeded random weights; it generates noise) for measurements.
var fp16 = args.Contains("--fp16");
var countOnly = args.Contains("--count-only");
var architecture = args.Contains("--sdxl") ? SdArchitecture.Sdxl : SdArchitecture.Sd15;
var outIndex = Array.IndexOf(args, "--out");
if (args.Contains("--help") || args.Except(["--fp16", "--count-only", "--sdxl", "--out"]).Count() > (outIndex >= 0 ? 1 : 0)
    || (outIndex >= 0 && outIndex + 1 >= args.Length))
{
    Console.WriteLine($"""
        usage: dotnet run -c Release --project src/WebStudio.SdSynth -- [--out DIR] [--sdxl] [--fp16] [--count-only]
          --out DIR      folder to write (default: {SynthCache.FolderFor(architecture, fp16)}; ${SynthCache.EnvironmentVariable} moves the cache)
          --sdxl         SDXL 1.0 base's architecture and sizes (default SD 1.5's)
          --fp16         float16 weights and inputs/outputs (default float32)
          --count-only   build the graphs and print parameter counts without writing anything
        """);
    return args.Contains("--help") ? 0 : 2;
}

if (countOnly)
{
    Console.Write(SynthFolder.Count(architecture, fp16).ToTable());
    return 0;
}

var folder = outIndex >= 0 ? args[outIndex + 1] : SynthCache.FolderFor(architecture, fp16);
Console.WriteLine($"Writing synthetic {architecture.Name} ({SynthFolder.Precision(fp16)}) to {Path.GetFullPath(folder)} ...");
var clock = Stopwatch.StartNew();
var report = SynthFolder.Write(folder, architecture, fp16);
Console.Write(report.ToTable());
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s. This model generates noise: it is for measurement only.");
return 0;
