using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Which running jobs a view in another process follows, as the shared database tells it: such a job has a
/// <see cref="JobPreview"/> row, first an empty one (step 0, no image) put there by the follower, then the newest
/// frame written into it by the process that runs the job. A job that nobody elsewhere follows has no row, and its
/// frames are never encoded or written (<see cref="SharedProgressRelay"/>).
/// </summary>
public static class JobPreviewFollows
{
    /// <summary>Marks <paramref name="jobIds"/> as followed from here; a job already marked, or gone, is left as it is.</summary>
    public static async Task MarkAsync(StudioDbContext db, IEnumerable<Guid> jobIds, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var jobId in jobIds)
        {
            db.JobPreviews.Add(new JobPreview { JobId = jobId, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Marked by another process meanwhile, or the job deleted: either way nothing to add.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Of <paramref name="jobIds"/>, those followed elsewhere (a read: it takes no write lock).</summary>
    public static Task<List<Guid>> FollowedAsync(StudioDbContext db, IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken) =>
        db.JobPreviews.AsNoTracking().Where(p => jobIds.Contains(p.JobId)).Select(p => p.JobId).ToListAsync(cancellationToken);
}
