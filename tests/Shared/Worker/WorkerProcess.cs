using System.Collections.Concurrent;
using System.Diagnostics;
using WebStudio.Worker;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The worker host as a real child process (`dotnet WebStudio.Worker.dll`, the copy the build puts beside the test
/// assembly), configured through environment variables, so that a test can send it SIGTERM. Disposal kills it if it
/// is still there.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private WorkerProcess(Process process) => _process = process;

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "WebStudio.Worker.dll");

    /// <summary>The worker's console output so far (for assertions and failure messages).</summary>
    public string Log => string.Join('\n', _log);

    public int ExitCode => _process.ExitCode;

    public int ProcessId => _process.Id;

    public static async Task<WorkerProcess> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerDll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {WorkerDll}");
        var worker = new WorkerProcess(process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => worker.KillQuietly();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker._log.Enqueue(e.Data);
                if (e.Data.StartsWith(WorkerHost.RunningLine, StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker._log.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout)) != started.Task)
        {
            await worker.DisposeAsync();
            throw new InvalidOperationException($"The worker did not start. Its output:\n{worker.Log}");
        }

        return worker;
    }

    /// <summary>SIGTERM, as systemd, Docker or a service manager sends it (Process.Kill would be SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer ends it: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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
}
