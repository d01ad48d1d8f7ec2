using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace WebStudio.Benchmarks;

/// <summary>
/// The real studio server as a child process on a free loopback port, on a temp database and images folder
/// (configuration through environment variables, which override the root appsettings.json).
/// </summary>
public sealed class StudioBenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private StudioBenchServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>WebStudio.Web.dll in the web project's own build output (baked in by the csproj's RecordStudioServerPath target).</summary>
    public static string ServerDll =>
        typeof(StudioBenchServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "StudioServerDll")?.Value
        ?? throw new InvalidOperationException("the benchmark assembly lacks its StudioServerDll metadata");

    /// <param name="serverDll">Another build of the server (a before/after comparison); this one's by default.</param>
    public static async Task<StudioBenchServer> StartAsync(string folder, string modelsPath, bool useCuda, string? serverDll = null)
    {
        serverDll ??= ServerDll;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var baseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        listener.Stop();

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(serverDll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Studio__DatabasePath"] = Path.Combine(folder, "studio.db");
        start.Environment["Storage__ImagesPath"] = Path.Combine(folder, "images");
        start.Environment["Generation__ModelsPath"] = modelsPath;
        start.Environment["Generation__UseCuda"] = useCuda ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Queue__SubmissionsPerMinute"] = "1000000"; // the load is one account's many jobs, not abuse
        var process = Process.Start(start)!;

        // Ctrl+C or a kill of the benchmark must not leave the server running.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };
        var started = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("WebStudio is running at", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        if (await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120))) != started.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the studio server ({serverDll}) did not start");
        }

        return new StudioBenchServer(process, baseAddress);
    }

    /// <summary>Resident memory (VmRSS in /proc/PID/status) in MiB.</summary>
    public double ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
