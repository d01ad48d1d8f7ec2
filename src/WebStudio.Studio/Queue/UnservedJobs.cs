using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Queued jobs that no worker can run: a claim takes only jobs of the models its worker offers, so a job whose model
/// was removed from the models folder (or is installed on no worker of the cluster) would wait for ever, its page
/// showing a place and an ETA. Once such a job has waited <see cref="QueueOptions.UnservedModelTimeout"/>, while some
/// worker serves the queue and none heard from within that time offers the model, it fails with the reason. Nothing
/// fails while the queue is paused (an administrator may be changing models) or while no worker is live.
/// </summary>
public sealed class UnservedJobs(
    IDbContextFactory<StudioDbContext> dbFactory,
    IOptions<QueueOptions> options,
    JobInputStore inputStore,
    JobProgressNotifier notifier,
    TimeProvider time,
    ILogger<UnservedJobs> logger)
{
    public static string Reason(string model) =>
        $"no worker has the model '{model}' (it was removed, or is not installed where the jobs run); generate again with an installed model";

    /// <summary>Fails the queued jobs of models that no worker offers; each is one conditional UPDATE, so several
    /// workers may sweep at once.</summary>
    /// <returns>How many jobs failed.</returns>
    public async Task<int> FailAsync(CancellationToken cancellationToken)
    {
        var queue = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - queue.UnservedModelTimeout;
        var workers = await db.Workers.AsNoTracking().Where(w => w.LastHeartbeatAt >= since)
            .Select(w => new { w.LastHeartbeatAt, w.Models }).ToListAsync(cancellationToken);
        if (!workers.Any(w => w.LastHeartbeatAt >= now - queue.Lease) || await db.QueuePauses.AnyAsync(cancellationToken))
        {
            return 0;
        }

        var offered = workers.SelectMany(w => w.Models).ToHashSet(StringComparer.Ordinal);
        // An upscale's model column names its upscaler; any worker runs it.
        var waiting = db.Jobs.Where(j => j.Status == JobStatus.Queued && j.Kind != JobKind.Upscale && j.CreatedAt <= since);
        var unserved = (await waiting.Select(j => j.Model).Distinct().ToListAsync(cancellationToken)).Where(m => !offered.Contains(m)).ToList();
        var failed = 0;
        foreach (var model in unserved)
        {
            var jobs = await waiting.Where(j => j.Model == model).Select(j => new { j.Id, j.Steps, j.BatchSize, j.HiresSteps }).ToListAsync(cancellationToken);
            foreach (var job in jobs)
            {
                var rows = await waiting.Where(j => j.Id == job.Id)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, JobStatus.Failed)
                        .SetProperty(j => j.FinishedAt, now)
                        .SetProperty(j => j.FailureReason, Reason(model)), cancellationToken);
                if (rows == 1)
                {
                    inputStore.Delete(job.Id); // it never ran, as a canceled job: its saved edit images are not needed
                    notifier.Report(job.Id, JobStatus.Failed, 0, GenerationJob.ProgressStepsOf(job.Steps, job.BatchSize, job.HiresSteps));
                    failed++;
                }
            }
        }

        if (failed > 0)
        {
            logger.LogWarning("{Count} queued job(s) failed: no worker heard from in {Seconds} s has their models ({Models})",
                failed, queue.UnservedModelSeconds, string.Join(", ", unserved));
            notifier.QueueChanged();
        }

        return failed;
    }
}
