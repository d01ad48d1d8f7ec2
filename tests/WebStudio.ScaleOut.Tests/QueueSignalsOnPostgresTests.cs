using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebStudio.Data;
using WebStudio.Redis;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests;

/// <summary>On PostgreSQL without Redis, the queue's signals cross processes through LISTEN/NOTIFY: a job queued by
/// one process wakes the idle workers of another at once, not at its next poll.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class QueueSignalsOnPostgresTests(PostgresServer server)
{
    [Fact]
    public async Task A_job_queued_in_one_process_wakes_the_idle_workers_of_another_through_LISTEN_and_NOTIFY()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var web = await Node.StartAsync(database.ConnectionString);
        await using var worker = await Node.StartAsync(database.ConnectionString);
        await UntilListeningAsync(web, worker);

        var queueViews = 0;
        using var view = worker.Notifier.SubscribeQueue(() => { Interlocked.Increment(ref queueViews); return Task.CompletedTask; });
        var wakes = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var idle = worker.Signal.Next;
            var woken = Stopwatch.StartNew();
            web.Signal.Pulse();
            web.Notifier.QueueChanged();
            await QueueSignal.WaitAsync(idle, TimeSpan.FromSeconds(5), CancellationToken.None);
            wakes.Add(woken.Elapsed);
            Assert.True(idle.IsCompleted, $"wake {i} did not arrive in 5 s");
        }

        // Nothing here polls, so every wake came through PostgreSQL; the median shows it comes at once.
        wakes.Sort();
        Assert.True(wakes[wakes.Count / 2] < TimeSpan.FromMilliseconds(250), $"the median wake took {wakes[wakes.Count / 2].TotalMilliseconds:0} ms");
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref queueViews) < 20 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(20, Volatile.Read(ref queueViews));
    }

    // Pulses until the other node hears one: both have opened their LISTEN connections.
    private static async Task UntilListeningAsync(Node from, Node to)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var next = to.Signal.Next;
            from.Signal.Pulse();
            await QueueSignal.WaitAsync(next, TimeSpan.FromMilliseconds(500), CancellationToken.None);
            if (next.IsCompleted)
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the nodes never heard each other through LISTEN/NOTIFY");
        }
    }

    [Fact]
    public void With_Redis_configured_Redis_carries_the_signals_instead()
    {
        var configuration = Node.Configuration("Host=127.0.0.1;Database=unused", new() { ["Redis:Configuration"] = "127.0.0.1:1" });
        var services = new ServiceCollection().AddLogging().AddStudioCore(configuration);
        Assert.Contains(services, d => d.ImplementationType == typeof(PostgresQueueSignals));

        services.AddStudioRedis(configuration);

        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(PostgresQueueSignals));
        Assert.Contains(services, d => d.ImplementationType == typeof(RedisQueueSignals));
    }

    /// <summary>One process's studio core on the shared database, with only its LISTEN/NOTIFY service started.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly IHostedService _listener;

        private Node(ServiceProvider services, IHostedService listener) => (_services, _listener) = (services, listener);

        public QueueSignal Signal => _services.GetRequiredService<QueueSignal>();

        public JobProgressNotifier Notifier => _services.GetRequiredService<JobProgressNotifier>();

        public static IConfiguration Configuration(string connectionString, Dictionary<string, string?>? more = null)
        {
            var settings = new Dictionary<string, string?> { ["Studio:Database"] = "Postgres", ["Studio:ConnectionString"] = connectionString };
            foreach (var (key, value) in more ?? [])
            {
                settings[key] = value;
            }

            return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        }

        public static async Task<Node> StartAsync(string connectionString)
        {
            var services = new ServiceCollection()
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .AddStudioCore(Configuration(connectionString))
                .BuildServiceProvider();
            await using (var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
            {
                StudioDatabase.MigrateAndConfigure(db);
            }

            var listener = services.GetServices<IHostedService>().OfType<PostgresQueueSignals>().Single();
            await listener.StartAsync(CancellationToken.None);
            return new Node(services, listener);
        }

        public async ValueTask DisposeAsync()
        {
            await _listener.StopAsync(CancellationToken.None);
            await _services.DisposeAsync();
        }
    }
}
