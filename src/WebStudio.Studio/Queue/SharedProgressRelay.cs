using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Previews;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Live progress between processes that share one database. Every process marks the running jobs its own views
/// follow but does not run (<see cref="JobPreviewFollows"/>); the process running a marked job stores its newest
/// preview there (at most once per <see cref="Interval"/>), and a job nobody elsewhere follows costs no encoding and
/// no write. Each process reads back its followed jobs and reports them to <see cref="JobProgressNotifier"/> as if
/// they ran here: steps, previews and the end.
/// While a view here shows the queue, the queue's active jobs are compared every <see cref="QueueCheckEvery"/> ticks,
/// so that jobs submitted, started, finished or moved by another process refresh it too.
/// The worker only hands a frame over; all database work happens on this service's own loop.
/// With Redis configured, frames go through Redis instead (no preview bytes in the database) and this service only
/// follows statuses: the safety net that still ends a view's job when Redis is down.
/// </summary>
public sealed class SharedProgressRelay(
    IDbContextFactory<StudioDbContext> dbFactory,
    JobProgressNotifier notifier,
    RunningJobs running,
    TimeProvider time,
    IServiceProvider services,
    ILogger<SharedProgressRelay> logger) : BackgroundService, IProgressRelay
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The queue is compared once a second.</summary>
    public const int QueueCheckEvery = 4;

    private readonly ConcurrentDictionary<Guid, OutgoingFrame> _outgoing = new();
    private readonly ConcurrentQueue<Guid> _retired = new();
    private int? _queueFingerprint;

    // False when another relay (Redis) carries the frames: then followed jobs are not marked in the database.
    private bool _carriesFrames = true;

    // The jobs running here that a view elsewhere follows, as the last write tick read them.
    private volatile IReadOnlySet<Guid> _followedHere = new HashSet<Guid>();

    public bool WantsFrames(Guid jobId) => _followedHere.Contains(jobId);

    /// <summary>A step of a job running here. Only the newest frame per job is kept until the next write; status
    /// changes need no relay, as the job's row carries them.</summary>
    public void Publish(Guid jobId, JobStatus status, int step, int totalSteps, PreviewImage? image)
    {
        if (image is not null)
        {
            // Encoded by the write loop, and only for the frames it writes (at most one a job per Interval).
            _outgoing[jobId] = new OutgoingFrame(step, totalSteps, image);
        }
    }

    /// <summary>The job's run here ended: its stored preview goes.</summary>
    public void Retire(Guid jobId)
    {
        _outgoing.TryRemove(jobId, out _);
        _retired.Enqueue(jobId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // off the host's start-up path
        _carriesFrames = ReferenceEquals(services.GetRequiredService<IProgressRelay>(), this);
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            await RunGuardedAsync(RemoveLeftoversAsync, stoppingToken);
            for (var tick = 1; await timer.WaitForNextTickAsync(stoppingToken); tick++)
            {
                await RunGuardedAsync(WriteAsync, stoppingToken);
                await RunGuardedAsync(FollowAsync, stoppingToken);
                if (tick % QueueCheckEvery == 0)
                {
                    await RunGuardedAsync(CompareQueueAsync, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunGuardedAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A busy or briefly locked database costs a frame or two, never the service.
            logger.LogWarning(ex, "Sharing live previews through the database failed; retrying at the next tick");
        }
    }

    // A process killed mid-job leaves its last frame behind; the job itself is settled by the queue's recovery.
    private async Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.JobPreviews
            .Where(p => db.Jobs.Any(j => j.Id == p.JobId && j.Status != JobStatus.Running))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        // Jobs running here are asked about even with no frame waiting: their worker draws frames only once followed.
        var runningHere = _carriesFrames ? running.Ids : [];
        if (_outgoing.IsEmpty && _retired.IsEmpty && runningHere.Count == 0)
        {
            _followedHere = new HashSet<Guid>();
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var jobIds = _outgoing.Keys.ToList();
        var asked = jobIds.Union(runningHere).ToList();
        var followed = asked.Count == 0 ? [] : (await JobPreviewFollows.FollowedAsync(db, asked, cancellationToken)).ToHashSet();
        _followedHere = followed;
        foreach (var jobId in jobIds)
        {
            // A frame of a job that no view elsewhere follows is dropped as it is: never encoded, never written.
            if (!_outgoing.TryRemove(jobId, out var frame) || !followed.Contains(jobId))
            {
                continue;
            }

            var png = frame.Image.Bytes;
            await db.JobPreviews.Where(p => p.JobId == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Step, frame.Step)
                .SetProperty(p => p.TotalSteps, frame.TotalSteps)
                .SetProperty(p => p.Png, png)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        }

        // After the writes, so that a frame taken just before its job was retired is removed in this same pass; a
        // write only where a row is there to remove.
        var retired = new List<Guid>();
        while (_retired.TryDequeue(out var jobId))
        {
            retired.Add(jobId);
        }

        if (retired.Count > 0 && (await JobPreviewFollows.FollowedAsync(db, retired, cancellationToken)) is { Count: > 0 } marked)
        {
            await db.JobPreviews.Where(p => marked.Contains(p.JobId)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var followed = notifier.FollowedJobIds().Where(id => !running.IsRunning(id)).ToList();
        if (followed.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => followed.Contains(j.Id))
            .Select(j => new
            {
                j.Id,
                j.Status,
                j.Steps,
                j.BatchSize,
                j.HiresSteps,
                PreviewStep = db.JobPreviews.Where(p => p.JobId == j.Id).Select(p => (int?)p.Step).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        // Marks the running jobs followed here that run elsewhere, so that their process writes their frames; removes
        // the mark of a job that ended (its process may have retired it just before the mark went in).
        if (_carriesFrames)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await JobPreviewFollows.MarkAsync(db, jobs.Where(j => j.Status == JobStatus.Running && j.PreviewStep is null && !running.IsRunning(j.Id)).Select(j => j.Id), now, cancellationToken);
        }

        var ended = jobs.Where(j => j.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled && j.PreviewStep is not null).Select(j => j.Id).ToList();
        if (ended.Count > 0)
        {
            await db.JobPreviews.Where(p => ended.Contains(p.JobId)).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var job in jobs)
        {
            if (running.IsRunning(job.Id))
            {
                continue; // claimed by a worker of this process meanwhile: it reports for itself
            }

            var live = notifier.GetLiveState(job.Id);
            var steps = GenerationJob.ProgressStepsOf(job.Steps, job.BatchSize, job.HiresSteps);
            var status = job.Status.ToString();
            if (job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled)
            {
                if (live?.Status != status)
                {
                    notifier.Report(job.Id, job.Status, job.Status == JobStatus.Succeeded ? steps : live?.Step ?? 0, steps);
                }
            }
            else if (job.Status == JobStatus.Running)
            {
                var step = job.PreviewStep ?? 0;
                if (live is null || live.Status != status || step > live.Step)
                {
                    var png = job.PreviewStep is null || step <= (live?.Step ?? 0) ? null
                        : await db.JobPreviews.Where(p => p.JobId == job.Id).Select(p => p.Png).FirstOrDefaultAsync(cancellationToken);
                    notifier.Report(job.Id, JobStatus.Running, step, steps, png);
                }
            }
            else if (live is not null && live.Status != status)
            {
                notifier.Report(job.Id, job.Status, 0, steps); // queued again (its worker's process stopped)
            }
        }
    }

    private async Task CompareQueueAsync(CancellationToken cancellationToken)
    {
        if (!notifier.HasQueueSubscribers)
        {
            _queueFingerprint = null;
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Held)
            .Select(j => new { j.Id, j.Status, j.Priority })
            .ToListAsync(cancellationToken);
        var fingerprint = new HashCode();
        fingerprint.Add(await db.QueuePauses.AnyAsync(cancellationToken)); // a pause or resume elsewhere
        foreach (var job in active.OrderBy(j => j.Id))
        {
            fingerprint.Add(job.Id);
            fingerprint.Add(job.Status);
            fingerprint.Add(job.Priority);
        }

        var now = fingerprint.ToHashCode();
        if (_queueFingerprint is { } before && before != now)
        {
            notifier.QueueChangedElsewhere();
        }

        _queueFingerprint = now;
    }

    private sealed record OutgoingFrame(int Step, int TotalSteps, PreviewImage Image);
}
