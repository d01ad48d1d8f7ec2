using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace WebStudio.Tests.Shared;

/// <summary>
/// A `dotnet X.dll` child process of the tests, configured through environment variables (they win over the
/// settings file). It keeps its console output, is ready once it prints a given line, and stops with SIGTERM (as a
/// service manager stops it) or SIGKILL (a crash). The studio's web and worker hosts both launch through it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable, IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    // Enough for a long test's output at Information; the oldest lines go first.
    private const int KeptLines = 5000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ChildProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process's console output so far, stdout and stderr (for assertions and failure messages).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>`dotnet <paramref name="dll"/> <paramref name="arguments"/>`, each setting as an environment variable ("Queue:Workers" → Queue__Workers).</summary>
    public static ProcessStartInfo StartInfo(string dll, IEnumerable<KeyValuePair<string, string?>> settings, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>Starts <paramref name="start"/> and waits until its stdout shows <paramref name="readyLine"/>.</summary>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo start, string readyLine)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        var child = new ChildProcess(process);

        // A test host that is killed (timeout, Ctrl+C) must not leave processes behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => child.KillQuietly();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Remember(e.Data);
                if (e.Data.Contains(readyLine, StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Remember(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout));
        if (first != ready.Task)
        {
            var why = first == exited ? $"exited with code {process.ExitCode}" : $"did not print \"{readyLine}\" within {StartTimeout.TotalSeconds:0} s";
            await child.DisposeAsync();
            throw new InvalidOperationException($"{Path.GetFileName(start.ArgumentList[0])} {why}. Its output:\n{child.Log}");
        }

        return child;
    }

    /// <summary>Runs <paramref name="start"/> to its end (a command, not a server).</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>SIGTERM, as systemd, Docker or a service manager sends it (Process.Kill would be SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL (kill -9): no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        KillQuietly();
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

    /// <summary>The process's resident memory (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// src/<paramref name="project"/>'s own build output, beside the static web assets manifests that the copy next to
    /// the tests lacks: the path tests/Directory.Build.props bakes into the test assembly (metadata
    /// "ProjectOutput:PROJECT", so any configuration and --artifacts-path work), else that copy.
    /// </summary>
    public static string ProjectDll(string project, Assembly testAssembly)
    {
        var baked = testAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ProjectOutput:" + project)?.Value;
        return !string.IsNullOrEmpty(baked) && File.Exists(baked) ? baked : Path.Combine(AppContext.BaseDirectory, project + ".dll");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public void Dispose()
    {
        KillQuietly();
        _process.WaitForExit();
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

    private void Remember(string line)
    {
        _log.Enqueue(line);
        while (_log.Count > KeptLines && _log.TryDequeue(out _))
        {
        }
    }
}
