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
    IProgressRelay relay,
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
        Report(job.Id, JobStatus.Running, 0, job.Steps);
        JobInputs? prepared = null;
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
                Report(job.Id, JobStatus.Running, step.Step + 1, step.TotalSteps, png);
                return true;
            }

            var results = await executors.For(spec).RunAsync(spec, prepared, job.Width, job.Height, OnStep, token);

            var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var stepMs = job.Steps > 1 ? Stopwatch.GetElapsedTime(firstStep, lastStep).TotalMilliseconds / (job.Steps - 1) : totalMs;
            try
            {
                // A cancel that lands after the last step (during the VAE decode) still wins over storing the result.
                token.ThrowIfCancellationRequested();
                await StoreAsync(job, spec, workerId, results, stepMs, totalMs);
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
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Attempts, j => j.Attempts - 1), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(job, JobStatus.Canceled, null);
            logger.LogInformation("Job {JobId} canceled while running", job.Id);
        }
        catch (Exception ex)
        {
            // The detail goes to the log; the owner sees plain words that quote the job id as the reference.
            logger.LogError(ex, "Job {JobId} failed ({Model}, {Width}x{Height}, batch {Batch})", job.Id, job.Model, job.Width, job.Height, job.BatchSize);
            await FinishAsync(job, JobStatus.Failed, JobFailureReason.For(ex, job));
        }
        finally
        {
            prepared?.Dispose();
            if (!stopping.IsCancellationRequested)
            {
                inputs.Delete(job.Id); // a job requeued by a shutdown keeps its inputs for the next start
            }

            running.Unregister(job.Id);
            relay.Retire(job.Id);
            notifier.QueueChanged();
        }
    }

    // Runs on the generation thread between steps: one indexed read, every StatusCheckInterval.
    private bool StillRunning(Guid jobId)
    {
        using var db = dbFactory.CreateDbContext();
        return db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstOrDefault() == JobStatus.Running;
    }

    private static byte[] EncodePreview(PreviewPixels pixels)
    {
        using var image = Image.LoadPixelData<Rgb24>(pixels.Rgb, pixels.Width, pixels.Height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private async Task StoreAsync(GenerationJob job, JobSpec spec, string workerId, IReadOnlyList<EngineImage> results, double stepMs, double totalMs)
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

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
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
            // The job was taken away meanwhile (an administrator's recovery); keep nothing of this run.
            await transaction.RollbackAsync(CancellationToken.None);
            foreach (var row in rows)
            {
                if (images.Resolve(row.FileName) is { } path)
                {
                    File.Delete(path);
                }
            }

            return;
        }

        await transaction.CommitAsync(CancellationToken.None);
        Report(job.Id, JobStatus.Succeeded, job.Steps, job.Steps);
        logger.LogInformation("Job {JobId} succeeded: {Count} image(s), {StepMs:0.0} ms/step, {TotalMs:0} ms", job.Id, rows.Count, stepMs, totalMs);
    }

    private async Task FinishAsync(GenerationJob job, JobStatus status, string? reason)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.FailureReason, reason), CancellationToken.None);
        var live = notifier.GetLiveState(job.Id);
        Report(job.Id, status, live?.Step ?? 0, job.Steps);
    }

    // Views here hear it from the notifier, views in other processes through the relay.
    private void Report(Guid jobId, JobStatus status, int step, int totalSteps, byte[]? png = null)
    {
        notifier.Report(jobId, status, step, totalSteps, png);
        relay.Publish(jobId, status, step, totalSteps, png);
    }
}
