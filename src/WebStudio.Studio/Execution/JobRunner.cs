using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Execution;

/// <summary>Runs one claimed job: generation with per-step previews, then the images and the outcome stored.</summary>
public sealed class JobRunner(
    IDbContextFactory<StudioDbContext> dbFactory,
    JobExecutors executors,
    ImageStore images,
    JobProgressNotifier notifier,
    RunningJobs running,
    SharedProgressRelay sharedPreviews,
    JobInputStore inputs,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>How often a running job reads its own status, so that a cancel made by another process sharing the
    /// database stops it too (a cancel made in this process stops it at the next step).</summary>
    public static readonly TimeSpan StatusCheckInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(GenerationJob job, string workerId, CancellationToken stopping)
    {
        using var cancel = running.Register(job.Id, stopping);
        var token = cancel.Token;
        var started = Stopwatch.GetTimestamp();
        long firstStep = 0, lastStep = 0, statusChecked = started;
        notifier.Report(job.Id, JobStatus.Running, 0, job.Steps);
        JobInputs? prepared = null;
        var requeued = false;
        try
        {
            var spec = JobSpecJson.Read(job);
            prepared = inputs.Load(job);

            bool OnStep(EngineStep step)
            {
                lastStep = Stopwatch.GetTimestamp();
                if (step.Step == 0)
                {
                    firstStep = lastStep;
                }

                if (Stopwatch.GetElapsedTime(statusChecked, lastStep) >= StatusCheckInterval)
                {
                    statusChecked = lastStep;
                    if (!StillRunning(job.Id))
                    {
                        cancel.Cancel();
                    }
                }

                if (token.IsCancellationRequested)
                {
                    return false;
                }

                var png = EncodePreview(step.Preview());
                notifier.Report(job.Id, JobStatus.Running, step.Step + 1, step.TotalSteps, png);
                sharedPreviews.Publish(job.Id, step.Step + 1, step.TotalSteps, png);
                return true;
            }

            var results = await executors.For(spec).RunAsync(spec, prepared, job.Width, job.Height, OnStep, token);

            var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var stepMs = job.Steps > 1 ? Stopwatch.GetElapsedTime(firstStep, lastStep).TotalMilliseconds / (job.Steps - 1) : totalMs;
            try
            {
                // A cancel that lands after the last step (during the VAE decode) still wins over storing the result.
                token.ThrowIfCancellationRequested();
                await StoreAsync(job, spec, workerId, results, stepMs, totalMs, stopping);
            }
            finally
            {
                foreach (var result in results)
                {
                    result.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shut down mid-job: back to the queue without counting the attempt, to run again at the next start.
            // One try (the token is already canceled): with the database away too, the start-up recovery requeues it.
            await RequeueAsync(job, stopping);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(job, JobStatus.Canceled, null, stopping);
            logger.LogInformation("Job {JobId} canceled while running", job.Id);
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
        {
            // The database went away under the job (not the job's fault): it runs again, uncounted, once it is back.
            logger.LogWarning(ex, "Job {JobId} interrupted by a database outage; it goes back to the queue when the database is back", job.Id);
            await RequeueAsync(job, stopping);
            requeued = true;
        }
        catch (Exception ex)
        {
            // The detail goes to the log; the owner sees plain words that quote the job id as the reference.
            logger.LogError(ex, "Job {JobId} failed ({Model}, {Width}x{Height}, batch {Batch})", job.Id, job.Model, job.Width, job.Height, job.BatchSize);
            await FinishAsync(job, JobStatus.Failed, JobFailureReason.For(ex, job), stopping);
        }
        finally
        {
            prepared?.Dispose();
            if (!stopping.IsCancellationRequested && !requeued)
            {
                inputs.Delete(job.Id); // a job requeued by a shutdown or an outage keeps its inputs for its next run
            }

            running.Unregister(job.Id);
            sharedPreviews.Retire(job.Id);
            notifier.QueueChanged();
        }
    }

    // Runs on the generation thread between steps: one indexed read, every StatusCheckInterval.
    private bool StillRunning(Guid jobId)
    {
        try
        {
            using var db = dbFactory.CreateDbContext();
            return db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstOrDefault() == JobStatus.Running;
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
        {
            // The database is away: go on generating; the result is stored when it is back (StoreAsync waits).
            return true;
        }
    }

    private Task RequeueAsync(GenerationJob job, CancellationToken cancellationToken) =>
        DatabaseOutage.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Attempts, j => j.Attempts - 1), CancellationToken.None);
        }, cancellationToken, ex => LogOutage(job, ex));

    private void LogOutage(GenerationJob job, Exception ex) =>
        logger.LogWarning("Job {JobId} waits for the database ({Error}); retrying", job.Id, ex.GetBaseException().Message);

    private static byte[] EncodePreview(PreviewPixels pixels)
    {
        using var image = Image.LoadPixelData<Rgb24>(pixels.Rgb, pixels.Width, pixels.Height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private async Task StoreAsync(GenerationJob job, JobSpec spec, string workerId, IReadOnlyList<EngineImage> results, double stepMs, double totalMs, CancellationToken stopping)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = new List<GeneratedImage>();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var row = new GeneratedImage
            {
                JobId = job.Id,
                OwnerId = job.OwnerId,
                Index = i,
                Seed = result.Seed,
                Width = result.Image.Width,
                Height = result.Image.Height,
                CreatedAt = now,
            };
            var parameters = A1111Parameters.Format(job, spec, result.Seed, result.Image.Width, result.Image.Height);
            row.FileName = await images.SaveAsync(row.Id, now, result.Image, parameters, CancellationToken.None);
            rows.Add(row);
        }

        // The images are on disk; their rows and the outcome wait out a database outage (until a shutdown, after
        // which the start-up recovery runs the job again).
        var tries = 0;
        var stored = await DatabaseOutage.RetryAsync(() => StoreRowsAsync(job, workerId, rows, now, stepMs, totalMs, afterOutage: tries++ > 0), stopping, ex => LogOutage(job, ex));
        if (!stored)
        {
            // The job was taken away meanwhile (an administrator's recovery); keep nothing of this run.
            foreach (var row in rows)
            {
                if (images.Resolve(row.FileName) is { } path)
                {
                    File.Delete(path);
                }
            }

            return;
        }

        notifier.Report(job.Id, JobStatus.Succeeded, job.Steps, job.Steps);
        logger.LogInformation("Job {JobId} succeeded: {Count} image(s), {StepMs:0.0} ms/step, {TotalMs:0} ms", job.Id, rows.Count, stepMs, totalMs);
    }

    /// <returns>False when the job is no longer this worker's to finish.</returns>
    private async Task<bool> StoreRowsAsync(GenerationJob job, string workerId, List<GeneratedImage> rows, DateTime now, double stepMs, double totalMs, bool afterOutage)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);

        // A try whose commit went through but whose answer was lost to the outage: the job is already done, once.
        if (afterOutage && await db.Jobs.AnyAsync(j => j.Id == job.Id && j.Status == JobStatus.Succeeded && j.WorkerId == workerId && j.Images.Count == rows.Count, CancellationToken.None))
        {
            return true;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        db.Images.AddRange(rows);
        await db.SaveChangesAsync(CancellationToken.None);
        var updated = await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running && j.WorkerId == workerId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Succeeded)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.AverageStepMs, stepMs)
                .SetProperty(j => j.TotalMs, totalMs), CancellationToken.None);
        if (updated != 1)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }

        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private async Task FinishAsync(GenerationJob job, JobStatus status, string? reason, CancellationToken stopping)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await DatabaseOutage.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, status)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.FailureReason, reason), CancellationToken.None);
        }, stopping, ex => LogOutage(job, ex));
        var live = notifier.GetLiveState(job.Id);
        notifier.Report(job.Id, status, live?.Step ?? 0, job.Steps);
    }
}
