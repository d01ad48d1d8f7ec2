using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>
/// The real studio as a separate process (`dotnet WebStudio.Web.dll`) on a free 127.0.0.1 port, configured through
/// environment variables (they override the root appsettings.json): the sandbox's database, images and models, CPU
/// execution. Start-up waits until the server answers; disposal kills it.
/// </summary>
public sealed class StudioServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private StudioServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The server's recent console output (for failure messages).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>
    /// Starts a server on <paramref name="sandbox"/>. <paramref name="settings"/> are extra configuration keys in
    /// appsettings form ("Queue:MaxQueuedPerUser" = "3"); they win over the defaults set here.
    /// </summary>
    public static async Task<StudioServer> StartAsync(StudioSandbox sandbox, IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = sandbox.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(StudioPaths.ServerDll);

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["Studio:DatabasePath"] = sandbox.DatabasePath,
            ["Storage:ImagesPath"] = sandbox.ImagesPath,
            ["Generation:ModelsPath"] = sandbox.ModelsPath,
            ["Generation:UseCuda"] = "false",
            ["Queue:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {StudioPaths.ServerDll}");
        var server = new StudioServer(process, baseAddress);

        // A test host that is killed (timeout, Ctrl+C) must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillQuietly();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            server.Remember(e.Data);
            if (e.Data.Contains("WebStudio is running at", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server.Remember(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(started.Task, exited, Task.Delay(StartTimeout));
            if (first != started.Task)
            {
                var why = first == exited ? $"exited with code {process.ExitCode}" : $"did not start within {StartTimeout.TotalSeconds:0} s";
                throw new InvalidOperationException($"The studio server {why}. Its output:\n{server.Log}");
            }

            await server.WaitUntilAnsweringAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>The server's resident memory (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private void KillQuietly()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Remember(string line)
    {
        _log.Enqueue(line);
        while (_log.Count > 400 && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/Account/Login");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Kestrel not listening yet.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"The studio server never answered /Account/Login. Its output:\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
