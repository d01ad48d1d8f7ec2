using System.Reflection;
using WebStudio.Tests.Shared;
using WebStudio.Worker;

namespace WebStudio.Benchmarks;

/// <summary>
/// The studio's processes for the scale-out benchmark, launched as the tests launch them (<see cref="ChildProcess"/>):
/// web nodes (WebStudio.Web) and worker processes (WebStudio.Worker) from their projects' build output, each
/// configured by environment variables on loopback, on the built-in model with one ONNX thread per operator.
/// </summary>
public sealed class ScaleOutProcesses : IAsyncDisposable
{
    private const string WebReadyLine = "WebStudio is running at";

    private readonly List<ChildProcess> _children = [];

    /// <param name="folder">Shared by every process of this set: images, the SQLite file and their working folder.</param>
    public ScaleOutProcesses(string folder, string modelsPath, IDictionary<string, string?> database)
    {
        Folder = folder;
        Common = new Dictionary<string, string?>(database)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage:ImagesPath"] = Path.Combine(folder, "images"),
            ["Generation:ModelsPath"] = modelsPath,
            ["Generation:UseCuda"] = "false",
            ["Generation:IntraOpThreads"] = "1", // the setting for each worker on a small CPU
            ["Generation:PreviewIntervalMs"] = "0", // the preview latency is the transport's: no frame held back by pacing
            ["Queue:Workers"] = "1",
            ["Queue:SubmissionsPerMinute"] = "100000",
            ["Queue:MaxQueuedPerUser"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public string Folder { get; }

    /// <summary>The settings every process of this set gets.</summary>
    public Dictionary<string, string?> Common { get; }

    /// <summary>A web node on a free loopback port; <paramref name="runJobs"/> false leaves the jobs to worker processes.</summary>
    public async Task<Uri> StartWebAsync(bool runJobs, IDictionary<string, string?>? extra = null)
    {
        var address = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        var settings = Settings(extra);
        settings["Queue:RunJobs"] = runJobs ? "true" : "false";
        settings["Urls"] = address.ToString().TrimEnd('/');
        await StartAsync(Dll("StudioServerDll"), settings, WebReadyLine);
        return address;
    }

    /// <summary><paramref name="count"/> worker processes of one queue worker each, started together.</summary>
    public Task StartWorkersAsync(int count, IDictionary<string, string?>? extra = null) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => StartAsync(Dll("StudioWorkerDll"), Settings(extra), WorkerHost.RunningLine)));

    public async ValueTask DisposeAsync()
    {
        List<ChildProcess> children;
        lock (_children)
        {
            children = [.. _children];
            _children.Clear();
        }

        foreach (var child in children)
        {
            await child.DisposeAsync();
        }
    }

    private Dictionary<string, string?> Settings(IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>(Common);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task StartAsync(string dll, Dictionary<string, string?> settings, string readyLine)
    {
        var child = await ChildProcess.StartAsync(ChildProcess.StartInfo(dll, settings, [], Folder), readyLine);
        lock (_children)
        {
            _children.Add(child);
        }
    }

    /// <summary>A project's build output, baked in by the csproj's RecordStudioServerPath target.</summary>
    private static string Dll(string key) =>
        typeof(ScaleOutProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"the benchmark assembly lacks its {key} metadata");
}
