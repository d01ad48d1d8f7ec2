using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace WebStudio.Hardening.Tests.Shutdown;

/// <summary>
/// The studio as a real child process (`dotnet WebStudio.Web.dll`, the copy the build puts beside this test
/// assembly) on a free loopback port, configured through environment variables, so that a test can send it the
/// SIGTERM a service manager sends. Disposal kills it if it is still there.
/// </summary>
public sealed class StudioProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private StudioProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "WebStudio.Web.dll");

    /// <summary>HostOptions.ShutdownTimeout as the studio's settings file sets it (root key shutdownTimeoutSeconds).</summary>
    public static TimeSpan ConfiguredShutdownTimeout()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var key = settings.RootElement.EnumerateObject().Single(p => p.Name.Equals("shutdownTimeoutSeconds", StringComparison.OrdinalIgnoreCase));
        return TimeSpan.FromSeconds(key.Value.GetInt32());
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The server's recent console output (for failure messages).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Runs the studio's `create-api-key` command on <paramref name="settings"/>' database; returns the key.</summary>
    public static async Task<string> CreateApiKeyAsync(IReadOnlyDictionary<string, string> settings, string user)
    {
        using var process = Process.Start(StartInfo(settings, ["create-api-key", "--user", user]))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        Assert.True(process.ExitCode == 0, $"create-api-key exited with {process.ExitCode}: {await errors}");
        return (await output).Trim();
    }

    public static async Task<StudioProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var all = new Dictionary<string, string>(settings) { ["Urls"] = baseAddress.ToString().TrimEnd('/') };
        var process = Process.Start(StartInfo(all, [])) ?? throw new InvalidOperationException($"could not start dotnet {ServerDll}");
        var server = new StudioProcess(process, baseAddress);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillQuietly();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server._log.Enqueue(e.Data);
                if (e.Data.Contains("WebStudio is running at", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server._log.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout)) != started.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The studio did not start. Its output:\n{server.Log}");
        }

        return server;
    }

    /// <summary>SIGTERM, as systemd, Docker or Ctrl+C in a service manager sends it (Process.Kill would be SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <returns>false when the process is still running after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillQuietly();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
