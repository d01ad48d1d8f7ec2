using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebStudio.Worker;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The worker host of src/WebStudio.Worker (a Generic Host without ASP.NET) from the same
/// <see cref="StudioHostOptions"/> as <see cref="StudioHost"/>: in the test process, where a test can give it its own
/// engine and read its services, or as a child process (`dotnet WebStudio.Worker.dll`, launched like the web app's
/// through <see cref="ChildProcess"/>), which a test can stop with SIGTERM or SIGKILL. A worker on a web host's
/// <c>Options with { … }</c> shares its database, images and models.
/// </summary>
public sealed class StudioWorker : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly ChildProcess? _child;

    private StudioWorker(IHost? host, ChildProcess? child)
    {
        _host = host;
        _child = child;
    }

    /// <summary>The worker's services (in process only).</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("A child-process worker has no services in the test process.");

    /// <summary>The child process (its log, SIGTERM, SIGKILL, exit); child-process workers only.</summary>
    public ChildProcess Process => _child ?? throw new InvalidOperationException("An in-process worker has no process of its own.");

    /// <summary>The worker's console output so far; empty in process.</summary>
    public string Log => _child?.Log ?? "";

    public int ExitCode => Process.ExitCode;

    /// <param name="options">Usually a web host's options: the worker ignores its Queue:RunJobs=false.</param>
    public static async Task<StudioWorker> StartAsync(StudioHostOptions options)
    {
        if (options.DataFolder is null)
        {
            throw new ArgumentException("A worker runs on a web host's data folder: start it on the host's Options.", nameof(options));
        }

        options.WriteTinyModel();
        var settings = options.Configuration();
        if (options.Mode == StudioHostMode.ChildProcess)
        {
            var start = ChildProcess.StartInfo(ChildProcess.ProjectDll("WebStudio.Worker", typeof(StudioWorker).Assembly), StudioHost.ChildSettings(settings, null), [], options.DataFolder);
            return new StudioWorker(null, await ChildProcess.StartAsync(start, WorkerHost.RunningLine));
        }

        var builder = WorkerHost.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        options.ReplaceServices(builder.Services);
        var host = builder.Build();
        WorkerHost.MigrateDatabase(host.Services);
        await host.StartAsync();
        return new StudioWorker(host, null);
    }

    /// <summary>SIGTERM, as a service manager stops the worker (child process only).</summary>
    public void Terminate() => Process.Terminate();

    /// <summary>SIGKILL (kill -9): the worker dies mid-job without running any shutdown code (child process only).</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <returns>false when the worker is still running after <paramref name="timeout"/> (child process only).</returns>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => Process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        if (_child is not null)
        {
            await _child.DisposeAsync();
        }
    }
}
