using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Admin;

/// <summary>
/// The administrator's hand on the queue: hold, release or move a job to the front, and pause or resume the whole
/// queue (before a model change, say). Each action that changed something is written to the audit log; one that
/// changed nothing (the job had started, the queue was paused already) answers false and is not logged. Cancelling
/// is <see cref="JobQueue.CancelAsync"/>, which audits an administrator's cancel itself.
/// </summary>
public sealed class QueueAdministration(
    IDbContextFactory<StudioDbContext> dbFactory,
    JobQueue queue,
    QueueSignal signal,
    JobProgressNotifier notifier,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxReasonLength = 500;

    public Task<QueueActionOutcome> HoldAsync(Actor actor, Guid jobId, CancellationToken cancellationToken = default) =>
        JobActionAsync(actor, AuditActions.JobHeld, jobId, () => queue.HoldAsync(jobId, cancellationToken), cancellationToken);

    public Task<QueueActionOutcome> ReleaseAsync(Actor actor, Guid jobId, CancellationToken cancellationToken = default) =>
        JobActionAsync(actor, AuditActions.JobReleased, jobId, () => queue.ReleaseAsync(jobId, cancellationToken), cancellationToken);

    public Task<QueueActionOutcome> MoveToFrontAsync(Actor actor, Guid jobId, CancellationToken cancellationToken = default) =>
        JobActionAsync(actor, AuditActions.JobMovedToFront, jobId, () => queue.MoveToFrontAsync(jobId, cancellationToken), cancellationToken);

    /// <summary>Stops every worker from starting a job (running jobs finish); submissions are still taken. False if
    /// the queue was paused already.</summary>
    public async Task<bool> PauseAsync(Actor actor, string? reason, CancellationToken cancellationToken = default)
    {
        reason = (reason ?? "").Trim();
        if (reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"the reason is at most {MaxReasonLength} characters", nameof(reason));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.QueuePauses.AnyAsync(cancellationToken))
        {
            return false;
        }

        db.QueuePauses.Add(new QueuePause { PausedAt = time.GetUtcNow().UtcDateTime, PausedBy = actor.Name, Reason = reason });
        audit.Add(db, actor, AuditActions.QueuePaused, "queue", reason);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await StillPausedAsync(cancellationToken))
            {
                return false; // another administrator paused it at the same moment
            }

            throw;
        }

        notifier.QueueChanged();
        return true;
    }

    /// <summary>Lets workers take jobs again, at once. False if the queue was not paused.</summary>
    public async Task<bool> ResumeAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.QueuePauses.ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        audit.Add(db, actor, AuditActions.QueueResumed, "queue");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Pulse();
        notifier.QueueChanged();
        return true;
    }

    private async Task<bool> StillPausedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.QueuePauses.AnyAsync(cancellationToken);
    }

    private async Task<QueueActionOutcome> JobActionAsync(Actor actor, string action, Guid jobId, Func<Task<bool>> act, CancellationToken cancellationToken)
    {
        var done = await act();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.OwnerId).FirstOrDefaultAsync(cancellationToken);
        if (!done)
        {
            return owner is null ? QueueActionOutcome.NotFound : QueueActionOutcome.NotApplicable;
        }

        await audit.AppendAsync(actor, action, $"job {jobId}", owner is null ? "" : $"owner {await AuditLog.NameOfAsync(db, owner, cancellationToken)}", cancellationToken);
        return QueueActionOutcome.Done;
    }
}

/// <summary>What an administrator's action on one job did: done, no such job, or nothing to do in the job's state
/// (holding a job that runs, releasing one that is not held).</summary>
public enum QueueActionOutcome
{
    Done,
    NotFound,
    NotApplicable,
}
