using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.History;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Refine;

/// <summary>
/// Deleting a Refine thread deletes its turns' generations from History, each as History's own delete does: gone at
/// once, undoable within the undo window (History's restore, one generation at a time), then swept with their files.
/// With no turn left the thread leaves the list and its galleries (<see cref="RefineThreads.ListAsync"/>), and comes
/// back with a restored turn. A picture the thread started from stays in History: it is not one of the thread's turns.
/// </summary>
public sealed class RefineThreadDeletion(IDbContextFactory<StudioDbContext> dbFactory, HistoryService history)
{
    /// <summary>Deletes the thread's live turns: the generations deleted (for an undo), a conflict while a turn is
    /// still being made, or null where the caller has no such thread.</summary>
    public async Task<ThreadDeletion?> DeleteAsync(Guid threadId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user) ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.RefineThreads.AnyAsync(t => t.Id == threadId && t.OwnerId == userId, cancellationToken))
        {
            return null;
        }

        var jobs = await db.RefineTurns.AsNoTracking().Where(t => t.ThreadId == threadId && t.UndoneAt == null && t.Job!.DeletedAt == null)
            .Select(t => new { t.JobId, t.Job!.Status }).ToListAsync(cancellationToken);
        if (jobs.Any(j => j.Status is JobStatus.Queued or JobStatus.Running or JobStatus.Held))
        {
            return new ThreadDeletion([], "a turn is still being made: cancel it, or wait until it has finished, then delete the thread");
        }

        var deleted = new List<Guid>();
        foreach (var job in jobs)
        {
            if (await history.DeleteAsync(userId, job.JobId, cancellationToken) == DeleteOutcome.Deleted)
            {
                deleted.Add(job.JobId);
            }
        }

        return new ThreadDeletion(deleted, null);
    }

    /// <summary>Undo: brings back the generations a deletion took (<see cref="ThreadDeletion.DeletedJobs"/>), as
    /// History's restore does; how many came back (none once the sweep has removed them).</summary>
    public async Task<int> RestoreAsync(ClaimsPrincipal user, IReadOnlyList<Guid> jobs, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user) ?? "";
        var restored = 0;
        foreach (var job in jobs)
        {
            restored += await history.RestoreAsync(userId, job, cancellationToken) ? 1 : 0;
        }

        return restored;
    }
}

/// <summary>The generations a thread's deletion took from History (POST /api/history/{id}/restore brings each back
/// within the undo window), or why nothing was deleted.</summary>
public sealed record ThreadDeletion(IReadOnlyList<Guid> DeletedJobs, string? Conflict);
