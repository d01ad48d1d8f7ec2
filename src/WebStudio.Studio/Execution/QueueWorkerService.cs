using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;
using WebStudio.Studio.Workers;

namespace WebStudio.Studio.Execution;

/// <summary>
/// The hosted workers: first puts jobs of this machine's dead worker processes back in the queue, then runs
/// <see cref="QueueOptions.Workers"/> loops (default: one per execution device), or one loop per CUDA device listed in
/// Worker:Devices (<see cref="DeviceWorkers"/>), that claim and run jobs, each with
/// its heartbeat (<see cref="WorkerHeartbeat"/>: the lease of its job, its row in the registry), and one sweep that
/// puts jobs whose lease ran out, on any machine, back in the queue (<see cref="JobLeases"/>) and fails the jobs of
/// models that no worker has (<see cref="UnservedJobs"/>). A loop claims and
/// starts its next job as soon as a generation ends, while that job's result is stored beside it (one store in flight
/// a loop, fenced by its claim like every write of the run). At shutdown a running job stops within one step and goes
/// back to the queue, its attempt not counted (a crash, which might be the job's own doing, counts it); a result being
/// stored is kept.
/// </summary>
public sealed class QueueWorkerService(
    JobQueue queue,
    DeviceWorkers devices,
    JobLeases leases,
    UnservedJobs unserved,
    WorkerRegistry registry,
    WorkerModelList models,
    QueueSignal signal,
    IGenerationEngine engine,
    IOptions<QueueOptions> options,
    IOptions<WorkerOptions> worker,
    IOptions<GenerationOptions> generation,
    StudioMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<QueueWorkerService> logger) : BackgroundService
{
    /// <summary>Worker ids start with the machine name, then the process id, so that start-up recovery can tell this
    /// machine's dead worker processes (<see cref="JobQueue.RecoverInterruptedAsync"/>).</summary>
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

        await queue.RecoverInterruptedAsync(MachinePrefix, leases, stoppingToken);
        var listed = worker.Value.DeviceIds;
        var loops = listed.Count > 0
            ? listed.Select(devices.For).ToList()
            : Enumerable.Repeat(devices.Default, LoopCount(options.Value, worker.Value, engine)).ToList();
        PoolThreadsForRuns.Reserve(loops.Count);
        logger.LogInformation("Starting {Count} queue worker(s){Devices}, policy {Policy}, lease {Lease} s", loops.Count,
            listed.Count > 0 ? $" on Worker:Devices {string.Join(",", listed)}" : "", options.Value.Policy, options.Value.LeaseSeconds);

        // Running jobs stop as soon as shutdown begins (ApplicationStopping), not only when this service's turn to
        // stop comes after the web server has drained: JobRunner puts a job stopped this way back in the queue.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        await Task.WhenAll(loops.Select((device, i) => LoopAsync($"{_instance}#{i}", device, stopping.Token)).Append(SweepAsync(stopping.Token)));
    }

    /// <summary>The worker loops a process runs: one per Worker:Devices entry, else Queue:Workers (0: one per
    /// execution device of the engine).</summary>
    public static int LoopCount(QueueOptions queue, WorkerOptions worker, IGenerationEngine engine) =>
        worker.DeviceIds.Count is > 0 and var devices ? devices
        : queue.Workers > 0 ? queue.Workers
        : Math.Max(1, engine.DeviceCount);

    private async Task LoopAsync(string workerId, WorkerDevice device, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var counted = metrics.WorkerLoopRunning();
        var runner = device.Runner;
        var heartbeat = new WorkerHeartbeat(workerId, leases, registry, models, device.Engine, generation.Value, options.Value, time, logger, device.Device);
        var beating = heartbeat.RunAsync(stoppingToken);
        // The job just generated, its store not started yet, and the store in flight: at most one at a time, started
        // after the next claim (so that the claim does not wait behind the store's writes), awaited before the next
        // store starts and before the loop ends.
        PendingStore? generated = null;
        var storing = Task.CompletedTask;
        var outages = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Taken before the claim: a job queued while the claim finds none still wakes this loop at once.
                var wake = signal.Next;
                GenerationJob? job = null;
                var lost = CancellationToken.None;
                try
                {
                    // Only jobs for a model this worker has; one it has loaded is preferred within Queue:ModelAffinityWindow.
                    // The names come from the cached list (listing reads every model folder), loaded ones from this
                    // loop's own engine (each Worker:Devices entry has its own).
                    job = await queue.ClaimNextAsync(workerId, new WorkerModels(models.Names, [.. device.Engine.LoadedModels()]), stoppingToken);
                }
                finally
                {
                    // Its lease is renewed from now on, should it wait for the store before it below.
                    if (job is not null)
                    {
                        lost = heartbeat.Begin(job);
                    }

                    // Whether or not the claim went through, the result generated before it is stored now.
                    storing = await StartStoreAsync(generated, storing, heartbeat);
                    generated = null;
                }

                outages = 0;
                if (job is null)
                {
                    await QueueSignal.WaitAsync(wake, options.Value.PollInterval, stoppingToken);
                    continue;
                }

                try
                {
                    generated = await runner.GenerateAsync(job, workerId, stoppingToken, lost);
                }
                catch
                {
                    heartbeat.End(job.Id, job.ClaimToken, ended: false);
                    throw;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                // The database is away: one warning, then quietly longer waits (1, 2, 4, 5, 5... s) until it is back.
                if (outages++ == 0)
                {
                    logger.LogWarning("Queue worker {WorkerId} cannot reach the database ({Error}); waiting for it", workerId, ex.GetBaseException().Message);
                }

                var wait = TimeSpan.FromSeconds(Math.Min(5, 1 << Math.Min(outages - 1, 3)));
                await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception ex)
            {
                // A database hiccup must not kill the worker: log, wait, go on.
                logger.LogError(ex, "Queue worker {WorkerId} failed; retrying", workerId);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // A result generated or being stored at shutdown is kept: its writes do not stop for the shutdown (only a wait
        // for the database does, and then the job goes back to the queue).
        storing = await StartStoreAsync(generated, storing, heartbeat);
        await EndOfStoreAsync(storing, workerId);
        await beating;
    }

    /// <summary>Starts storing <paramref name="generated"/> (if any) once <paramref name="previous"/> has ended, off the
    /// loop (the PNG encode is synchronous work); returns the store in flight.</summary>
    private async Task<Task> StartStoreAsync(PendingStore? generated, Task previous, WorkerHeartbeat heartbeat)
    {
        if (generated is null)
        {
            return previous;
        }

        await EndOfStoreAsync(previous, heartbeat.WorkerId);
        return Task.Run(async () =>
        {
            var ended = false;
            try
            {
                ended = await generated.StoreAsync();
            }
            finally
            {
                heartbeat.End(generated.JobId, generated.ClaimToken, ended);
            }
        }, CancellationToken.None);
    }

    /// <summary>Waits for a store in flight. Its own failures already ended its job (failed, or put back); what is
    /// left (the database away while it did so) is logged: the job's lease puts it back.</summary>
    private async Task EndOfStoreAsync(Task storing, string workerId)
    {
        try
        {
            await storing;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Queue worker {WorkerId}: storing a job's result did not end cleanly; its lease puts the job back if it was not ended", workerId);
        }
    }

    // Any worker may sweep: each change is conditional, so sweeps of several processes do not collide.
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    await leases.RequeueExpiredAsync(stoppingToken);
                    await unserved.FailAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "The queue's sweep (expired leases, jobs of models no worker has) failed; retrying");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
