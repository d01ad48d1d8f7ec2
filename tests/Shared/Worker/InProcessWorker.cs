using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebStudio.Worker;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The worker host (<see cref="WorkerHost"/>, the Generic Host of src/WebStudio.Worker) in the test process, on the
/// settings of a web studio it shares the database, images and models with, so that a test can give it its own engine
/// and look at its services. <see cref="WorkerProcess"/> runs the same host as a real child process.
/// </summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessWorker(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    /// <param name="settings">The web studio's settings (its Queue:RunJobs=false does not apply to a worker).</param>
    /// <param name="services">Test replacements of the studio's services, such as the engine.</param>
    public static async Task<InProcessWorker> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? services = null)
    {
        var builder = WorkerHost.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        WorkerHost.MigrateDatabase(host.Services);
        await host.StartAsync();
        return new InProcessWorker(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
