using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Redis;
using WebStudio.Studio;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Worker;

/// <summary>
/// The worker process's host: the studio core and its queue workers on a Generic Host, configured from the
/// repository root's appsettings.json, environment variables and the command line, like the web app. Public so
/// that tests can host it in-process with test services.
/// </summary>
public static class WorkerHost
{
    /// <summary>The line the worker writes once its workers run (tests and scripts wait for it).</summary>
    public const string RunningLine = "WebStudio worker is running";

    /// <summary>Where the worker serves its metrics to Prometheus; none when unset.</summary>
    public const string MetricsUrlSetting = StudioMetricsExport.UrlSetting;

    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.UseStudioSettingsFile();
        builder.Services.AddStudioCore(builder.Configuration);
        builder.Services.AddQueueWorkers();
        builder.Services.AddStudioRedis(builder.Configuration); // progress and wake-ups through Redis, when configured
        // The worker has no web server: Prometheus scrapes its own listener, on a port apart (e.g. http://127.0.0.1:9465).
        builder.Services.AddStudioMetricsExport(builder.Configuration, meters: []);

        // This process exists to run jobs: Queue:RunJobs=false, meant for the web app beside it, does not apply here.
        builder.Services.PostConfigure<QueueOptions>(queue => queue.RunJobs = true);
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }

    /// <summary>Creates or migrates the database before the workers start, as the web app does.</summary>
    public static void MigrateDatabase(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        using var db = factory.CreateDbContext();
        StudioDatabase.MigrateAndConfigure(db);
    }

    /// <summary>Says, once the host has started, which execution provider runs the jobs and how many workers.</summary>
    private sealed class StartupReport(
        IGenerationEngine engine,
        IOptions<QueueOptions> queue,
        IOptions<WorkerOptions> worker,
        IDbContextFactory<StudioDbContext> dbFactory,
        IHostApplicationLifetime lifetime,
        ILogger<StartupReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                // The same count QueueWorkerService starts.
                var workers = WebStudio.Studio.Execution.QueueWorkerService.LoopCount(queue.Value, worker.Value, engine);
                var provider = engine.DescribeExecutionProvider();
                logger.LogInformation("Execution provider: {Provider}; {Workers} queue worker(s) on {Database}",
                    provider, workers, Where());
                Console.WriteLine($"{RunningLine}: {workers} worker(s), execution provider {provider}");
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private string Where()
        {
            using var db = dbFactory.CreateDbContext();
            return StudioDatabase.Describe(db);
        }
    }
}
