using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Usage;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The leases of claimed jobs. A claim (<see cref="JobQueue.ClaimNextAsync"/>) holds its job until
/// <see cref="GenerationJob.LeaseExpiresAt"/>; the worker's heartbeat renews it (<see cref="RenewAsync"/>), and any
/// worker puts jobs whose lease ran out back in the queue (<see cref="RequeueExpiredAsync"/>), so that a job of a
/// worker that died (kill -9, power loss, a network cut) runs again elsewhere. Leases compare the workers' clocks:
/// keep them in step (NTP), well within a lease.
/// </summary>
public sealed class JobLeases(
    IDbContextFactory<StudioDbContext> dbFactory,
    IOptions<QueueOptions> options,
    JobProgressNotifier notifier,
    QueueSignal signal,
    TimeProvider time,
    ILogger<JobLeases> logger)
{
    private readonly QueueOptions _options = options.Value;

    /// <summary>Moves the lease of a job this worker runs on by a whole lease.</summary>
    /// <returns>false when the claim is no longer this worker's (its lease ran out and the job was put back, claimed
    /// again, or canceled): the worker must stop the run and write nothing.</returns>
    public async Task<bool> RenewAsync(Guid jobId, long claimToken, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leaseEnd = time.GetUtcNow().UtcDateTime + _options.Lease;
        var rows = await db.Jobs.Where(j => j.Id == jobId && j.ClaimToken == claimToken && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, leaseEnd), cancellationToken);
        return rows == 1;
    }

    /// <summary>How often a page reads <see cref="SilenceAsync"/>: twice a heartbeat.</summary>
    public TimeSpan SilenceCheckInterval => _options.HeartbeatInterval / 2;

    /// <summary>
    /// How long the worker running <paramref name="jobId"/> has not renewed its lease, and how long until the lease runs
    /// out and the job goes back to the queue; null unless the job runs under a lease. A page says so once the silence
    /// is <see cref="WorkerSilence.WorthSaying"/>: a job whose worker died otherwise shows its last step, still, for a
    /// whole lease.
    /// </summary>
    public async Task<WorkerSilence?> SilenceAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leaseEnd = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .Select(j => j.LeaseExpiresAt).FirstOrDefaultAsync(cancellationToken);
        if (leaseEnd is not { } end)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return new WorkerSilence(now - (end - _options.Lease), end - now, _options.HeartbeatInterval * 1.5);
    }

    /// <summary>
    /// Jobs whose lease ran out (or was ended by <see cref="JobQueue.RecoverInterruptedAsync"/>) go back to the queue, or fail with a reason once tried
    /// <see cref="QueueOptions.MaxAttempts"/> times. Running jobs without a lease (left by a release before leases)
    /// count as expired. Each change is one conditional UPDATE, so several workers may sweep at once.
    /// </summary>
    public async Task<(int Requeued, int Failed)> RequeueExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var max = _options.MaxAttempts;
        // A lease that ends now has ended (start-up recovery ends the leases of dead local processes' jobs at "now").
        var expired = db.Jobs.Where(j => j.Status == JobStatus.Running && (j.LeaseExpiresAt == null || j.LeaseExpiresAt <= now));
        // Given up, one at a time (rare): each end commits with its usage record.
        var failed = 0;
        foreach (var job in await expired.Where(j => j.Attempts >= max).AsNoTracking().ToListAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ended = await expired.Where(j => j.Id == job.Id && j.ClaimToken == job.ClaimToken)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Failed)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(j => j.FailureReason, $"the worker running this job stopped responding {max} times, so it was given up"), cancellationToken);
            if (ended == 1)
            {
                await UsageRecording.AddAsync(db, job, JobStatus.Failed, now, null, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            failed += ended;
        }

        var requeued = await expired
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.WorkerId, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (requeued + failed > 0)
        {
            logger.LogWarning("Leases ran out: {Requeued} job(s) queued again, {Failed} failed after {Max} attempts", requeued, failed, max);
            signal.Pulse();
            notifier.QueueChanged();
        }

        return (requeued, failed);
    }
}
