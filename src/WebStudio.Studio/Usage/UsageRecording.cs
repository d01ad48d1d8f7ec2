using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Usage;

/// <summary>
/// Writes a job's usage record where its end is recorded: the caller adds it inside the transaction that ends the job
/// (after the update that wins the job's fence) and saves, so a job has its record exactly when it has ended.
/// </summary>
public static class UsageRecording
{
    /// <summary>Adds the record of <paramref name="job"/> (its parameters as claimed) to <paramref name="db"/>; the
    /// caller saves. One indexed read: the owner's name, copied so that the record outlives the account.</summary>
    public static async Task AddAsync(StudioDbContext db, GenerationJob job, JobStatus status, DateTime finishedAt, double? totalMs, CancellationToken cancellationToken)
    {
        var name = await db.Accounts().Where(u => u.Id == job.OwnerId).Select(u => u.UserName).FirstOrDefaultAsync(cancellationToken);
        db.UsageRecords.Add(UsageRecord.Of(job, name ?? job.OwnerId, status, finishedAt, totalMs));
    }
}
