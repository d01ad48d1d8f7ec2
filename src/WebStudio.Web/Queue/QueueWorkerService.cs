using Microsoft.Extensions.Options;
using WebStudio.Web.Engine;
using WebStudio.Web.Options;

namespace WebStudio.Web.Queue;

/// <summary>
/// The hosted workers: first puts jobs interrupted by a crash back in the queue, then runs
/// <see cref="QueueOptions.Workers"/> loops (default: one per execution device) that claim and run jobs.
/// </summary>
public sealed class QueueWorkerService(
    JobQueue queue,
    JobRunner runner,
    QueueSignal signal,
    IGenerationEngine engine,
    IOptions<QueueOptions> options,
    ILogger<QueueWorkerService> logger) : BackgroundService
{
    /// <summary>Worker ids start with the machine name, so that start-up recovery touches only this machine's jobs.</summary>
    public static string MachinePrefix => Environment.MachineName + "/";

    private readonly string _instance = $"{MachinePrefix}{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunJobs)
        {
            // No recovery either: the running jobs on this machine belong to the worker processes.
            logger.LogInformation("Queue workers off (Queue:RunJobs is false): worker processes on the same database run the jobs");
            return;
        }

        await queue.RecoverInterruptedAsync(MachinePrefix, stoppingToken);
        var count = options.Value.Workers > 0 ? options.Value.Workers : Math.Max(1, engine.DeviceCount);
        logger.LogInformation("Starting {Count} queue worker(s), policy {Policy}", count, options.Value.Policy);
        var loops = Enumerable.Range(0, count).Select(i => LoopAsync($"{_instance}#{i}", stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(string workerId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await queue.ClaimNextAsync(workerId, stoppingToken);
                if (job is null)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                    continue;
                }

                await runner.RunAsync(job, workerId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not kill the worker: log, wait, go on.
                logger.LogError(ex, "Queue worker {WorkerId} failed; retrying", workerId);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
