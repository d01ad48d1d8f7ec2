using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Workers;

namespace WebStudio.Studio.Execution;

/// <summary>
/// One worker loop's heartbeat. Every <see cref="QueueOptions.HeartbeatInterval"/> it renews the leases of the jobs
/// the loop holds (the one it runs, and the one whose result it may still be storing) and writes the worker's row in
/// the registry. When a renewal finds the claim gone, or no renewal
/// has gone through for a whole lease (the database out of reach: the job may be claimed again by now), it stops
/// the run, whose fenced writes would be refused anyway. <c>device</c>: the loop's Worker:Devices entry, if any.
/// </summary>
public sealed class WorkerHeartbeat(
    string workerId,
    JobLeases leases,
    WorkerRegistry registry,
    WorkerModelList models,
    IGenerationEngine engine,
    GenerationOptions generation,
    QueueOptions options,
    TimeProvider time,
    ILogger logger,
    int? device = null)
{
    private readonly Lock _gate = new();
    private readonly DateTime _startedAt = time.GetUtcNow().UtcDateTime;
    private readonly List<Claim> _claims = []; // oldest first: the last is the job the loop runs
    private long _jobsDone;

    public string WorkerId => workerId;

    /// <summary>The loop runs <paramref name="job"/> now.</summary>
    /// <returns>Cancelled when the claim is lost.</returns>
    public CancellationToken Begin(GenerationJob job)
    {
        var claim = new Claim(job.Id, job.ClaimToken, time.GetTimestamp());
        lock (_gate)
        {
            _claims.Add(claim);
        }

        return claim.Lost.Token;
    }

    /// <summary>The run of <paramref name="jobId"/> under <paramref name="claimToken"/> is over (its result stored, or
    /// none to store); <paramref name="ended"/>: it ended the job (stored, failed or canceled), rather than putting it
    /// back at shutdown or losing its claim.</summary>
    public void End(Guid jobId, long claimToken, bool ended)
    {
        lock (_gate)
        {
            _claims.RemoveAll(c => c.JobId == jobId && c.Token == claimToken);
            if (ended)
            {
                _jobsDone++;
            }
        }
    }

    /// <summary>Beats until <paramref name="stopping"/>, then removes the worker's row.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            do
            {
                await BeatAsync(stopping);
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        try
        {
            await registry.RemoveAsync(workerId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Worker {WorkerId} could not remove its row from the registry", workerId);
        }
    }

    private async Task BeatAsync(CancellationToken stopping)
    {
        Claim[] claims;
        long jobsDone;
        lock (_gate)
        {
            (claims, jobsDone) = ([.. _claims], _jobsDone);
        }

        foreach (var held in claims)
        {
            await RenewAsync(held, stopping);
        }

        var claim = claims.Length > 0 ? claims[^1] : null;

        try
        {
            await registry.BeatAsync(new WorkerRecord
            {
                Id = workerId,
                HostName = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                Devices = [Device()],
                Models = [.. models.Names], // listed again only when the models folder changes
                LoadedModels = [.. engine.LoadedModels()], // current on every beat
                CurrentJobId = claim?.JobId,
                JobsDone = jobsDone,
                StartedAt = _startedAt,
            }, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Worker {WorkerId} could not write its heartbeat", workerId);
        }
    }

    private async Task RenewAsync(Claim claim, CancellationToken stopping)
    {
        bool held;
        try
        {
            held = await leases.RenewAsync(claim.JobId, claim.Token, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Worker {WorkerId} could not renew the lease of job {JobId}", workerId, claim.JobId);
            held = time.GetElapsedTime(claim.Renewed) < options.Lease;
        }

        if (held)
        {
            claim.Renewed = time.GetTimestamp();
            return;
        }

        lock (_gate)
        {
            if (!_claims.Contains(claim))
            {
                return; // the run ended meanwhile, and with it the claim
            }
        }

        logger.LogWarning("Worker {WorkerId} lost its claim on job {JobId} (token {Token}); stopping the run", workerId, claim.JobId, claim.Token);
        claim.Lost.Cancel();
    }

    // CUDA where the provider can take sessions on the device and no session has failed on it since (a worker that had
    // not loaded a model yet said "cuda:0" on a machine without CUDA). A listed device on the CPU says which entry it is.
    private string Device() => generation.UseCuda && ExecutionProviders.CheckCuda(device ?? generation.CudaDeviceId) is null
        ? $"cuda:{device ?? generation.CudaDeviceId}"
        : device is { } listed ? $"cpu (device {listed})" : "cpu";

    private sealed class Claim(Guid jobId, long token, long renewed)
    {
        public Guid JobId { get; } = jobId;

        public long Token { get; } = token;

        /// <summary>When the lease was last renewed (or claimed), as a <see cref="TimeProvider"/> timestamp.</summary>
        public long Renewed { get; set; } = renewed;

        /// <summary>Not disposed: the run may still hold a registration on it when the claim ends.</summary>
        public CancellationTokenSource Lost { get; } = new();
    }
}
