using static WebStudio.Benchmarks.BenchArgs;
using WebStudio.Benchmarks;
using WebStudio.SdSynth;

// Benchmark programs: each prints figures for a closing note. They are not tests and assert nothing.
var command = args.FirstOrDefault() ?? "help";
var options = args.Skip(1).ToArray();

switch (command)
{
    case "pipeline":
    {
        // SdSynth's miniature SD 1.5 (every block, a fraction of the width), written to a temp folder (nothing is downloaded).
        var folder = Path.Combine(Path.GetTempPath(), "webstudio-bench-miniature");
        if (!SynthFolder.IsComplete(folder, SdArchitecture.Miniature, fp16: false))
        {
            SynthFolder.Write(folder, SdArchitecture.Miniature, fp16: false);
        }

        await PipelineOverheadBenchmark.RunAsync(Option(options, "--model") ?? folder, int.Parse(Option(options, "--size") ?? "256"), 21, Option(options, "--scheduler") ?? "Euler a");
        break;
    }

    case "builtin":
        await PipelineOverheadBenchmark.RunAsync(Option(options, "--model") ?? Path.Combine("models", "webstudio-shapes"), 128, 15);
        break;

    case "iobinding":
        // Issue 21 §4: the UNet with and without its per-job IOBinding, runs interleaved (the built-in model unless --model).
        await IoBindingBenchmark.RunAsync(options);
        break;

    case "builtin-figures":
        // Issue 20: samplers against DDIM, hires-fix object counts by strength, inpainting by area and padding.
        await BuiltInFiguresBenchmark.RunAsync(options);
        break;

    case "sd15":
        // SD 1.5-sized synthetic models (written to ~/.cache/webstudio/sd15-synthetic on first use).
        await SdScaleBenchmark.RunAsync(options, SdScale.Sd15);
        break;

    case "sdxl":
        // Issue 21: SDXL-sized synthetic models (fp16; written to ~/.cache/webstudio/sdxl-synthetic on first use).
        await SdScaleBenchmark.RunAsync(options, SdScale.Sdxl);
        break;

    case "vae-decode":
    case "vae-encode":
        // Issue 21: the SDXL-sized VAE decoder or encoder alone at one size, whole and in tiles (Generation:VaeTileSize):
        // time and memory.
        VaeTilingBenchmark.Run(options, encode: command == "vae-encode");
        break;

    case "studio":
        // The studio server under 50 simulated users (see StudioLoadBenchmark); needs /usr/bin/chromium.
        await StudioLoadBenchmark.RunAsync(options);
        break;

    case "soak":
        // The hardening soak: users submitting and watching for minutes; errors, memory, page latency, throughput.
        await SoakBenchmark.RunAsync(options);
        break;

    case "scaleout":
        // Issue 18's figures: workers on PostgreSQL and Redis (both started here on loopback), claims, hand-over, makespan.
        await ScaleOutBenchmark.RunAsync(options);
        break;

    case "history":
        // Issue 20, defect 10: History with 10,000 images, timed to its first thumbnails (HTTP and headless chromium).
        await HistoryPageBenchmark.RunAsync(options);
        break;

    case "usage":
        // Issue 19, point 4: the usage page and CSV export with 100 users and 100,000 jobs.
        await UsagePageBenchmark.RunAsync(options);
        break;

    case "api-stream":
        // A streamed 20-step generation with 3 partial images through the OpenAI-compatible API of a running server.
        await ApiStreamBenchmark.RunAsync(
            Option(options, "--url") ?? "http://127.0.0.1:5000",
            Option(options, "--key") ?? throw new ArgumentException("--key is required (create one with create-api-key)"),
            Option(options, "--model") ?? "webstudio-shapes",
            Option(options, "--size") ?? "auto",
            int.Parse(Option(options, "--runs") ?? "5"),
            Option(options, "--out"));
        break;

    case "model-install":
        // Issue 21: installing a ~100 MB model from the local fake Hub; a cut connection and a cancelled install resumed.
        await ModelInstallBenchmark.RunAsync(options);
        break;

    default:
        Console.WriteLine("""
            usage: dotnet run -c Release --project src/WebStudio.Benchmarks -- <command> [options]
              pipeline [--model DIR] [--size N] [--scheduler S]
                                                 wall time vs Σ ONNX Run time, 20 steps with CFG (default: SdSynth's miniature SD 1.5, 256²)
              builtin  [--model DIR]             the same on the built-in model at 128²
              iobinding [--model DIR] [--size 128] [--steps 20] [--batch 1] [--repeats 15] [--warm-up 10] [--threads N] [--provider cpu|cuda]
                                                 the UNet with and without IOBinding (Generation:IoBinding), interleaved: s/step, s/image, MB allocated
              builtin-figures [--only samplers,rescale,hires,inpaint] [--seeds 20] [--seeds-per-prompt 4] [--steps 20] [--samplers "UniPC,DPM++ 2M"] [--model DIR]
                                                 the built-in model scored by its evaluator: samplers vs DDIM, hires strengths, inpaint areas
              sd15 [--steps N] [--sizes 256,512] [--precisions fp32,fp16] [--cache DIR] [--load-only] [--provider auto|cpu|cuda|tensorrt] [--iobinding on|off] [--cuda-graph] [--vae-tile N]
                                                 SD 1.5 scale: load time and memory, s/step, overhead, preview costs
              sdxl [--steps 2] [--sizes 512,1024] [--precisions fp16] [--cache DIR] [--load-only] [--iobinding on|off] [--cuda-graph] [--vae-tile N]
                                                 SDXL scale, the same figures (the synthetic SDXL 1.0 base, 3.5 B parameters)
              vae-decode|vae-encode [--size 1024] [--vae-tiles 0,512,256] [--runs 2] [--cache DIR]
                                                 the SDXL-sized VAE decoder or encoder alone, whole (0) and in tiles: s per run, peak RSS growth
              studio [--users 50] [--watchers 10] [--steps 20] [--size N] [--rounds 20] [--circuits 50] [--cuda] [--watchers-only | --circuits-only [--by-type]]
                                                 the studio server under load: fairness, makespan, preview cost, memory
              soak [--users 50] [--watchers 10] [--minutes 10] [--steps 20]
                                                 the server soaked by users submitting and watching: errors, RSS, GET / p50/p99, jobs/min
              scaleout [--quick] [--steps N] [--jobs N] [--users 50] [--preview-jobs N] [--fill-rows N] [--fill-queued N] [--fill-users N]
                       [--only throughput,previews,claims,scale,makespan]
                                                 scale-out: 1/2/4 worker processes, previews via Redis, claims, hand-over, 50 x 2, 1M rows
              history [--images 10000] [--runs 7] [--models DIR] [--server OTHER/WebStudio.Web.dll]
                                                 History with 10,000 images: its HTML, the first thumbnails over HTTP and in chromium
              usage [--users 100] [--jobs 100000] [--runs 7] [--models DIR]
                                                 the usage page, its query and its CSV with 100 users and 100,000 finished jobs
              api-stream --key KEY [--url U] [--model M] [--size WxH|auto] [--runs N] [--out FILE]
                                                 streamed 20-step generation with 3 partials: first partial and total time
              model-install [--mb 100]           install a ~100 MB model from the local fake Hub: clean, cut once mid-file, cancelled and resumed
            """);
        break;
}
