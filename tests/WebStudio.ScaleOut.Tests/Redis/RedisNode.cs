using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Redis;
using WebStudio.Studio.Telemetry;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests.Redis;

/// <summary>
/// One studio process's Redis side, as the hosts register it (<see cref="RedisServices.AddStudioRedis"/>): its own
/// notifier, running jobs and queue signal, and the relay and signals started as hosted services. Two of these on
/// one Redis are two processes.
/// </summary>
public sealed class RedisNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started = [];

    private RedisNode(ServiceProvider services) => _services = services;

    public JobProgressNotifier Notifier => _services.GetRequiredService<JobProgressNotifier>();

    public QueueSignal Signal => _services.GetRequiredService<QueueSignal>();

    public RunningJobs Running => _services.GetRequiredService<RunningJobs>();

    public RedisProgressRelay Relay => _services.GetRequiredService<RedisProgressRelay>();

    public IProgressRelay PublishedRelay => _services.GetRequiredService<IProgressRelay>();

    public static async Task<RedisNode> StartAsync(string redis, string prefix)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis,
            ["Redis:Prefix"] = prefix,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<StudioMetrics>()
            .AddDbContextFactory<StudioDbContext>(db => db.UseSqlite("Data Source=:memory:")) // only the queue-depth gauge reads it
            .AddSingleton<JobProgressNotifier>()
            .AddSingleton<RunningJobs>()
            .AddSingleton<QueueSignal>()
            .AddSingleton<IProgressRelay>(_ => throw new InvalidOperationException("Redis must replace the database relay"));
        Assert.NotNull(services.AddStudioRedis(configuration));

        var node = new RedisNode(services.BuildServiceProvider());
        foreach (var hosted in node._services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            node._started.Add(hosted);
        }

        var connection = await node._services.GetRequiredService<RedisConnection>().GetAsync();
        Assert.True(connection.IsConnected, "the node did not connect to Redis");
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _started)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
