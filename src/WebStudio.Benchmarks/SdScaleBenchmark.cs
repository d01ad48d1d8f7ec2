using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.SdSynth;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// WebStudio at Stable Diffusion 1.5 (or SDXL) scale, on the synthetic folders of <see cref="SdScale"/> (same
/// architecture and sizes, seeded random weights; written to the cache on first use): model load time and memory,
/// seconds per UNet step with CFG, pipeline overhead over ONNX Runtime and preview costs, per precision and size.
/// </summary>
internal static class SdScaleBenchmark
{
    private const string Prompt = "a photo of an astronaut riding a horse";

    public static async Task RunAsync(string[] args, SdScale scale)
    {
        var steps = int.Parse(Option(args, "--steps") ?? scale.DefaultSteps.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var sizes = (Option(args, "--sizes") ?? scale.DefaultSizes).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var precisions = (Option(args, "--precisions") ?? scale.DefaultPrecisions).Split(',');
        var cacheRoot = Option(args, "--cache");
        var loadOnly = args.Contains("--load-only");
        var load = ChooseProvider(Option(args, "--provider") ?? "auto") with
        {
            IoBinding = (Option(args, "--iobinding") ?? "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--iobinding takes on or off, not '{other}'."),
            },
            CudaGraph = args.Contains("--cuda-graph"),
            VaeTileSize = Int(args, "--vae-tile", 0),
            CpuMemArena = (Option(args, "--cpu-arena") ?? "auto") switch
            {
                "auto" => null,
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--cpu-arena takes auto, on or off, not '{other}'."),
            },
        };

        PrintHeader(steps, load, scale);
        var loads = new List<LoadFigures>();
        var runs = new List<RunFigures>();
        foreach (var precision in precisions)
        {
            var fp16 = precision switch
            {
                "fp16" => true,
                "fp32" => false,
                _ => throw new ArgumentException($"--precisions takes fp32 and/or fp16, not '{precision}'."),
            };
            var folder = SynthCache.Ensure(scale.Architecture, fp16, cacheRoot, Console.WriteLine);
            var (model, figures) = MeasureLoads(folder, precision, load);
            loads.AddRange(figures);
            foreach (var f in figures)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {f.What}: {f.Seconds:F1} s, peak RSS growth {SdScaleMemory.Gigabytes(f.PeakDelta)} GB, after {SdScaleMemory.Gigabytes(f.ResidentDelta)} GB."));
            }

            using (model)
            {
                if (!loadOnly)
                {
                    foreach (var size in sizes)
                    {
                        Console.WriteLine($"Running {precision} at {size}² ({steps} steps, CFG)...");
                        runs.Add(await MeasureRun(model, precision, size, steps));

                        // Said at once: a long run's figures survive a later size that is stopped.
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {runs[^1].StepSeconds:F3} s per UNet step, {runs[^1].Wall:F2} s per image, peak RSS {SdScaleMemory.Gigabytes(runs[^1].PeakResident)} GB, finite: {runs[^1].Finite}."));
                    }
                }
            }

            SdScaleMemory.ReturnFreed();
        }

        Console.WriteLine($"Load average at end: {LoadAverage()}.");
        PrintLoads(loads);
        if (runs.Count > 0)
        {
            PrintRuns(runs);
            PrintAnchors(runs, scale);
        }
    }

    // auto: TensorRT where it works, else CUDA where it works, else CPU (each session logs the fall-back's reason).
    private static ModelLoadOptions ChooseProvider(string provider) => provider switch
    {
        "auto" => new ModelLoadOptions { UseCuda = true, UseTensorRt = ExecutionProviders.CheckTensorRt(0) is null },
        "cpu" => new ModelLoadOptions { UseCuda = false },
        "cuda" => new ModelLoadOptions { UseCuda = true },
        "tensorrt" => new ModelLoadOptions { UseCuda = true, UseTensorRt = true, TensorRtCachePath = Path.Combine(Path.GetTempPath(), "webstudio-trt-cache") },
        _ => throw new ArgumentException($"--provider takes auto, cpu, cuda or tensorrt, not '{provider}'."),
    };

    private static string Requested(ModelLoadOptions load) =>
        load.UseTensorRt && ExecutionProviders.TensorRtFailure is null ? "TensorRT execution provider"
        : load.UseCuda && ExecutionProviders.CudaFailure is null ? "CUDA execution provider"
        : "CPU execution provider";

    private sealed record LoadFigures(string Precision, string What, double Seconds, long PeakDelta, long ResidentDelta, long WeightBytes);

    private sealed record RunFigures(
        string Provider, string Precision, int Size, int Steps, double StepSeconds, double WarmUpSeconds, double Wall, double OrtRun,
        double PipelineOverRun, double RgbPreviewRatio, double VaeDecodeSeconds, double VaeEvery5Ratio, long PeakResident, bool Finite,
        double CpuShare, long? PeakDevice);

    /// <summary>
    /// UNet alone from a cold page cache (the 1.3× criterion), the whole folder cold, then the whole folder again
    /// with its files cached (warm); the last one is kept for the runs.
    /// </summary>
    private static (StableDiffusionModel Model, List<LoadFigures> Figures) MeasureLoads(string folder, string precision, ModelLoadOptions options)
    {
        var unetBytes = GraphBytes(Path.Combine(folder, SynthComponents.UNet));
        var allBytes = GraphBytes(folder);
        var figures = new List<LoadFigures>();

        SdScaleMemory.EvictFromPageCache(folder);
        var (unet, unetFigures) = Measure(() => OnnxComponent.Load(folder, SynthComponents.UNet, options, NullLogger.Instance));
        unet.Dispose();
        figures.Add(new(precision, "UNet alone, cold", unetFigures.Seconds, unetFigures.Peak, unetFigures.Resident, unetBytes));
        SdScaleMemory.ReturnFreed();

        SdScaleMemory.EvictFromPageCache(folder);
        var (cold, coldFigures) = Measure(() => StableDiffusionModel.Load(folder, options));
        cold.Dispose();
        figures.Add(new(precision, "whole model, cold", coldFigures.Seconds, coldFigures.Peak, coldFigures.Resident, allBytes));
        SdScaleMemory.ReturnFreed();

        var (warm, warmFigures) = Measure(() => StableDiffusionModel.Load(folder, options));
        figures.Add(new(precision, "whole model, warm", warmFigures.Seconds, warmFigures.Peak, warmFigures.Resident, allBytes));
        return (warm, figures);
    }

    private static (T Value, (double Seconds, long Peak, long Resident) Figures) Measure<T>(Func<T> load)
    {
        SdScaleMemory.ResetPeak();
        var before = SdScaleMemory.ResidentBytes;
        var start = Stopwatch.GetTimestamp();
        var value = load();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (value, (seconds, SdScaleMemory.PeakResidentBytes - before, SdScaleMemory.ResidentBytes - before));
    }

    private static async Task<RunFigures> MeasureRun(StableDiffusionModel model, string precision, int size, int steps)
    {
        var pipeline = new StableDiffusionPipeline(model);
        var request = new GenerationRequest
        {
            Prompt = Prompt,
            NegativePrompt = "blurry",
            Steps = steps,
            Guidance = 7.5f,
            Seed = 42,
            Width = size,
            Height = size,
            Scheduler = "Euler",
        };

        SdScaleMemory.ResetPeak();

        // RSS does not show memory on the device: there the driver's figure, sampled through both runs, is the peak.
        using var devicePeak = model.Provider == ExecutionProviders.Cpu ? null : CudaDeviceMemory.WatchPeak(0, TimeSpan.FromMilliseconds(5));

        // A 1-step run first: the first run at a new size pays for ONNX Runtime's allocations at those shapes.
        var warmUpStart = Stopwatch.GetTimestamp();
        (await pipeline.RunAsync(request with { Steps = 1 })).Dispose();
        var warmUp = Stopwatch.GetElapsedTime(warmUpStart).TotalSeconds;

        var timer = new SdScaleStepTimer(pipeline); // made now: its first step is timed from here, not from before the warm-up
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        using var result = await pipeline.RunAsync(request, timer);
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

        // The first step also encodes the prompt: the median of the others is the step time.
        var later = timer.Steps.Skip(1).Select(s => s.TotalSeconds).Order().ToList();
        var stepSeconds = later.Count > 0 ? later[later.Count / 2] : timer.Steps[0].TotalSeconds;
        var pipelineWall = wall - timer.Total.TotalSeconds;
        var ortRun = result.Timings.OrtRun.TotalSeconds;
        var vaeDecode = timer.VaePreviews > 0 ? timer.VaePreview.TotalSeconds / timer.VaePreviews : 0;
        return new RunFigures(
            model.Provider, precision, size, steps, stepSeconds, warmUp, pipelineWall, ortRun,
            pipelineWall / ortRun,
            (pipelineWall + timer.RgbPreview.TotalSeconds) / pipelineWall,
            vaeDecode,
            1 + vaeDecode / (SdScaleStepTimer.VaeInterval * stepSeconds),
            SdScaleMemory.PeakResidentBytes,
            timer.AllFinite,
            cpuSeconds / (wall * Environment.ProcessorCount),
            devicePeak?.PeakUsedBytes);
    }

    private static void PrintHeader(int steps, ModelLoadOptions load, SdScale scale)
    {
        // Found out here, not assumed: the GPU line says which provider runs, or why none can.
        var cuda = ExecutionProviders.CheckCuda(0);
        var trt = ExecutionProviders.CheckTensorRt(0);
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        Console.WriteLine($"# WebStudio at {scale.Title}");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), " +
            $"{SdScaleMemory.Gigabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} GB RAM, shared with other work; " +
            $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {Requested(load)}; .NET {Environment.Version}.");
        Console.WriteLine($"UNet: IOBinding {(load.IoBinding ? "on (--iobinding on: text conditioning bound once per job, output in one buffer per job)" : "off (--iobinding off: plain Run every step)")}; " +
            $"CUDA graph {(load.CudaGraph ? $"asked for (--cuda-graph) but not applied: {CudaGraphSupport.NotApplied}" : "not asked for")}; " +
            $"VAE decode {(load.VaeTileSize > 0 ? $"in {load.VaeTileSize}² tiles (--vae-tile {load.VaeTileSize})" : "whole (--vae-tile 0)")}; " +
            $"CPU memory arena {(load.CpuMemArena is { } arena ? (arena ? "on for every graph" : "off for every graph") : $"auto (--cpu-arena auto: off for graphs of {ExecutionProviders.ArenaWeightLimit >> 30} GiB of weights or more)")}.");
        Console.WriteLine($"Runs: per precision and size, a 1-step warm-up run, then one measured run of {steps} steps, Euler, CFG 7.5 " +
            $"(UNet batch 2) with the latent→RGB preview on every step and a full VAE decode every {SdScaleStepTimer.VaeInterval} steps " +
            "(from step 0), both timed inside the step callback. Peak RSS covers both runs.");
        Console.WriteLine($"Load average at start: {LoadAverage()}. \"CPU share\" below is this process's CPU time ÷ (wall × cores) during the measured run: " +
            "under 100% means other work on the machine took the rest, and times grow accordingly.");
        var memory = CudaDeviceMemory.Read(0);
        Console.WriteLine(cuda is null
            ? $"GPU: CUDA device 0 ({(memory.Reading is { } m ? $"{m} before loading, by its driver" : $"memory unread: {memory.Failure}")}) takes sessions{(trt is null ? ", and TensorRT too" : $"; TensorRT does not ({trt})")}. Figures below are for {Requested(load)}."
            : $"GPU: none usable here, so there are no GPU figures: CUDA: {cuda}; TensorRT: {trt ?? "not tried"}.");
        Console.WriteLine();
    }

    private static void PrintLoads(List<LoadFigures> loads)
    {
        Console.WriteLine();
        Console.WriteLine("## Model loading (StableDiffusionModel.Load / the UNet's session alone; cold = the folder's files evicted from the page cache)");
        Console.WriteLine("| precision | load | time (s) | peak RSS growth (GB) | RSS growth after (GB) | graph files (GB) | peak ÷ files |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var l in loads)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {l.Precision} | {l.What} | {l.Seconds:F1} | {SdScaleMemory.Gigabytes(l.PeakDelta)} | {SdScaleMemory.Gigabytes(l.ResidentDelta)} | {SdScaleMemory.Gigabytes(l.WeightBytes)} | {(double)l.PeakDelta / l.WeightBytes:F2} |"));
        }
    }

    private static void PrintRuns(List<RunFigures> runs)
    {
        Console.WriteLine();
        Console.WriteLine("## Generation (wall = pipeline wall time with the callback's own time taken out)");
        Console.WriteLine("| precision | size | steps | s / UNet step (CFG) | 1-step warm-up run (s) | wall (s) | Σ ORT Run (s) | wall ÷ Run (goal ≤ 1.02) | RGB preview every step (goal ≤ 1.01) | one VAE decode (s) | VAE decode every 5 steps | peak RSS (GB) | peak GPU memory in use, by its driver (GB) | finite | CPU share |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Precision} | {r.Size}² | {r.Steps} | {r.StepSeconds:F3} | {r.WarmUpSeconds:F1} | {r.Wall:F2} | {r.OrtRun:F2} | {r.PipelineOverRun:F4} | {r.RgbPreviewRatio:F5} | {r.VaeDecodeSeconds:F2} | {r.VaeEvery5Ratio:F3} | {SdScaleMemory.Gigabytes(r.PeakResident)} | {(r.PeakDevice is { } device ? SdScaleMemory.Gigabytes(device) : "–")} | {(r.Finite ? "yes" : "NO")} | {r.CpuShare:P0} |"));
        }
    }

    private static void PrintAnchors(List<RunFigures> runs, SdScale scale)
    {
        var atAnchor = runs.Where(r => r.Size == scale.AnchorSize).ToList();
        var onGpu = atAnchor.Where(r => r.Provider != ExecutionProviders.Cpu).ToList();
        if (onGpu.Count > 0 && scale.GpuAnchors.Count > 0)
        {
            // GPUs are compared per image, as their figures are published: the whole pipeline at a step count.
            Console.WriteLine();
            Console.WriteLine($"## Published GPU anchors beside ours at {scale.AnchorSize}² (seconds per image: text encoder, UNet steps with CFG, VAE decode)");
            Console.WriteLine("| source | hardware | steps | s / image |");
            Console.WriteLine("|---|---|---:|---:|");
            foreach (var (source, hardware, steps, imageSeconds) in scale.GpuAnchors)
            {
                Console.WriteLine($"| {source} | {hardware} | {steps} | {imageSeconds} |");
            }

            foreach (var r in onGpu)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| WebStudio, ONNX Runtime {r.Provider}, {r.Precision} (ours; graph as exported, without those fusions) | {GpuName() ?? "this GPU"} | {r.Steps} | {r.Wall:F2} |"));
            }
        }

        var onCpu = atAnchor.Where(r => r.Provider == ExecutionProviders.Cpu).ToList();
        if (onCpu.Count == 0 || scale.Anchors.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine($"## Published anchors beside ours at {scale.AnchorSize}² (the hardware differs: theirs is named, ours the machine above)");
        Console.WriteLine($"| source | hardware | s / step at {scale.AnchorSize}² |");
        Console.WriteLine("|---|---|---:|");
        foreach (var (source, hardware, stepSeconds) in scale.Anchors)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {source} | {hardware} | {stepSeconds} |"));
        }

        foreach (var r in onCpu)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| WebStudio, ORT CPU {r.Precision} (ours, CFG) | {Environment.ProcessorCount} cores | {r.StepSeconds:F2} |"));
        }
    }

    // The GPU's name as its driver gives it, where nvidia-smi is at hand.
    private static string? GpuName()
    {
        try
        {
            using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (smi is null)
            {
                return null;
            }

            var name = smi.StandardOutput.ReadLine()?.Trim();
            smi.WaitForExit(5000);
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1 / 5 / 15 min)" : "unknown";

    /// <summary>Bytes of the ONNX graphs and their external data under <paramref name="folder"/>.</summary>
    private static long GraphBytes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(p => p.EndsWith(".onnx", StringComparison.Ordinal) || p.EndsWith(".onnx_data", StringComparison.Ordinal))
        .Sum(p => new FileInfo(p).Length);
}
