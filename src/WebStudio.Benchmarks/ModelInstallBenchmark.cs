using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Options;
using WebStudio.Testing.Servers;
using WebStudio.Testing.TinyModels;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 21, the model manager: installing a model of about 100 MB (the tiny model plus random weights in
/// unet/model.onnx_data) from the tests' local fake Hub on loopback. Figures: a clean install's time and rate (with
/// the SHA-256 checks); an install whose download is cut once mid-file (resumed in the same install with Range); and
/// an install that failed at 40% then run again (resumed from the staging folder). For each, the file bytes the Hub
/// sent against the model's size.
/// </summary>
internal static class ModelInstallBenchmark
{
    private const string Repo = "bench/model-100mb";

    public static async Task RunAsync(string[] options)
    {
        var megabytes = int.Parse(Option(options, "--mb") ?? "100");
        var root = Path.Combine(Path.GetTempPath(), "webstudio-bench-install-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var hub = new FakeHub();
            var source = Path.Combine(root, "source");
            TinyStableDiffusion.Write(source, TinyModelVariant.DiffusersScript);
            var weights = new byte[megabytes * 1024L * 1024];
            new Random(21).NextBytes(weights);
            await File.WriteAllBytesAsync(Path.Combine(source, "unet", "model.onnx_data"), weights);
            hub.AddFolder(Repo, source);
            var size = InstalledModel.FolderSize(source);
            Console.WriteLine($"model: {size / 1048576.0:0.0} MiB in {Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Count()} files, from a fake Hub on 127.0.0.1:{hub.Port}");

            // 1. A clean install.
            var (clean, cleanSent) = await InstallAsync(hub, root, "clean", installer => installer.InstallFromHubAsync(Repo, null, null, "clean"));
            Console.WriteLine($"clean install: {clean.TotalSeconds:0.00} s ({size / 1048576.0 / clean.TotalSeconds:0} MiB/s, SHA-256 checks included); bytes sent {cleanSent / 1048576.0:0.0} MiB");

            // 2. The connection dropped once half-way through the big file: resumed with Range in the same install.
            hub.CutOnce("unet/model.onnx_data", weights.Length / 2);
            var (cut, cutSent) = await InstallAsync(hub, root, "cut", installer => installer.InstallFromHubAsync(Repo, null, null, "cut"));
            var ranged = hub.Requests.Count(r => r.Path.EndsWith("/unet/model.onnx_data", StringComparison.Ordinal) && r.Range is not null);
            Console.WriteLine($"cut once at 50%: {cut.TotalSeconds:0.00} s; bytes sent {cutSent / 1048576.0:0.0} MiB for {size / 1048576.0:0.0} MiB ({(cutSent - size) / 1048576.0:0.0} MiB more than the model; {ranged} Range request)");

            // 3. The connection dropped at 40% with no retry left (the network gone, or the process stopped): the
            // install fails, and the next install of the same repository resumes from the staging folder.
            hub.CutOnce("unet/model.onnx_data", weights.Length * 4L / 10);
            var (_, firstSent) = await InstallAsync(hub, root, "resumed", installer => installer.InstallFromHubAsync(Repo, null, null, "resumed"), attempts: 1);
            var (again, againSent) = await InstallAsync(hub, root, "resumed", installer => installer.InstallFromHubAsync(Repo, null, null, "resumed"));
            Console.WriteLine($"failed at 40% ({firstSent / 1048576.0:0.0} MiB sent), installed again: {again.TotalSeconds:0.00} s, bytes sent {againSent / 1048576.0:0.0} MiB (together {(firstSent + againSent) / 1048576.0:0.0} MiB for {size / 1048576.0:0.0} MiB)");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<(TimeSpan Elapsed, long BytesSent)> InstallAsync(FakeHub hub, string root, string label, Func<ModelInstaller, Task<InstalledModel>> install, int attempts = 5)
    {
        var generation = new GenerationOptions { ModelsPath = Path.Combine(root, "models") };
        Directory.CreateDirectory(generation.ModelsPath);
        var options = new ModelManagerOptions { HubEndpoint = hub.Endpoint.ToString(), DownloadAttempts = attempts };
        var installer = new ModelInstaller(Microsoft.Extensions.Options.Options.Create(generation), Microsoft.Extensions.Options.Options.Create(options),
            new HuggingFaceHub(new HttpClient { BaseAddress = hub.Endpoint }, null), new DriveFreeSpace(), new ModelInstallNotifier(), NullLogger<ModelInstaller>.Instance);
        var before = hub.Requests.Sum(r => r.BytesSent);
        var clock = Stopwatch.StartNew();
        try
        {
            await install(installer);
        }
        catch (ModelInstallException e)
        {
            Console.WriteLine($"{label}: {e.Message} ({clock.Elapsed.TotalSeconds:0.00} s)");
        }

        var elapsed = clock.Elapsed;
        await Task.Delay(100); // the fake Hub records a request once it has ended
        return (elapsed, hub.Requests.Sum(r => r.BytesSent) - before);
    }
}
