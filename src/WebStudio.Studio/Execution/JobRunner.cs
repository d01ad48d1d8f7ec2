using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Telemetry;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Usage;

namespace WebStudio.Studio.Execution;

/// <summary>Runs one claimed job: generation with per-step previews, then the images and the outcome stored. Every
/// write is fenced by the claim's token (<see cref="GenerationJob.ClaimToken"/>): a run whose claim was lost (its lease
/// ran out and the job was put back or claimed again) stores nothing.</summary>
public sealed class JobRunner(
    IDbContextFactory<StudioDbContext> dbFactory,
    JobExecutors executors,
    ImageStore images,
    ThumbnailStore thumbnails,
    JobProgressNotifier notifier,
    RunningJobs running,
    IProgressRelay relay,
    JobInputStore inputs,
    StudioMetrics metrics,
    IOptions<GenerationOptions> generation,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>How often a running job reads its own status and claim, so that a cancel made by another process
    /// sharing the database stops it too (a cancel made in this process stops it at the next step), and so does the
    /// loss of its claim.</summary>
    public static readonly TimeSpan StatusCheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the job to its end: generation, then its result stored.</summary>
    /// <param name="claimLost">Cancelled by the worker's heartbeat when its lease renewal finds the claim gone.</param>
    /// <returns>true when this run ended the job (succeeded, failed or canceled); false when the job went back to the
    /// queue at shutdown or its claim was lost.</returns>
    public async Task<bool> RunAsync(GenerationJob job, string workerId, CancellationToken stopping, CancellationToken claimLost = default) =>
        await (await GenerateAsync(job, workerId, stopping, claimLost)).StoreAsync();

    /// <summary>
    /// Runs the job's generation; the result's store (<see cref="PendingStore.StoreAsync"/>) is left to the caller, so
    /// that a worker may claim its next job first. Until that store ends, the job stays running, registered here (a
    /// cancel still reaches it) and fenced by its claim: users see it completed only once the store commits.
    /// </summary>
    public async Task<PendingStore> GenerateAsync(GenerationJob job, string workerId, CancellationToken stopping, CancellationToken claimLost = default)
    {
        var run = new Run(job, running.Register(job.Id, stopping), stopping);
        run.Lost = claimLost.Register(run.Cancel.Cancel);
        var token = run.Cancel.Token;
        long firstStep = 0, lastStep = 0, statusChecked = run.Started;
        var stepPictures = new StepPictures(time);
        var elsewherePace = TimeSpan.FromMilliseconds(generation.Value.PreviewIntervalMs);
        metrics.JobStarted(job.CreatedAt, job.StartedAt ?? time.GetUtcNow().UtcDateTime, run.Kind);
        Report(job.Id, JobStatus.Running, 0, job.ProgressSteps);
        IReadOnlyList<EngineImage>? results = null;
        JobSpec? spec = null;
        TimeSpan? loadTime = null;
        JobStatus? generated;
        try
        {
            generated = await GuardAsync(run, async () =>
            {
                spec = JobSpecJson.Read(job);
                run.Prepared = inputs.Load(job);

                bool OnStep(EngineStep step)
                {
                    lastStep = Stopwatch.GetTimestamp();
                    metrics.StepDone(job.Model);
                    if (step.Step == 0)
                    {
                        firstStep = lastStep;
                    }

                    if (Stopwatch.GetElapsedTime(statusChecked, lastStep) >= StatusCheckInterval)
                    {
                        statusChecked = lastStep;
                        if (!StillOurs(job))
                        {
                            run.Cancel.Cancel();
                        }
                    }

                    if (token.IsCancellationRequested)
                    {
                        return false;
                    }

                    var preview = stepPictures.For(step, StepPictures.Shortest(notifier.PictureInterval(job.Id), relay.WantsFrames(job.Id) ? elsewherePace : null));
                    Report(job.Id, JobStatus.Running, step.Step + 1, step.TotalSteps, preview);
                    return true;
                }

                // A model loaded by this run (or that it waited for) shows as loaded after it, and not before.
                var executor = executors.For(spec);
                var loadedBefore = executor.ModelLoadTime(spec) is not null;
                results = await executor.RunAsync(spec, run.Prepared, job.Width, job.Height, OnStep, token);
                loadTime = loadedBefore ? null : executor.ModelLoadTime(spec);
                return JobStatus.Succeeded; // generated; not stored yet
            });
        }
        catch
        {
            Close(run, null); // ending the job failed too (the database away at shutdown): its lease puts it back
            throw;
        }

        if (generated is null || results is not { } pictures || spec is not { } ran)
        {
            Close(run, generated);
            return PendingStore.Ended(job, generated is not null);
        }

        // The job's end as the queue counts it (FinishedAt): its generation's end, before the store.
        var finishedAt = time.GetUtcNow().UtcDateTime;
        var totalMs = Stopwatch.GetElapsedTime(run.Started).TotalMilliseconds;
        var stepMs = job.ProgressSteps > 1 ? Stopwatch.GetElapsedTime(firstStep, lastStep).TotalMilliseconds / (job.ProgressSteps - 1) : totalMs;
        var times = new RunTimes(stepMs, totalMs, loadTime?.TotalMilliseconds);
        return new PendingStore(job, async () =>
        {
            JobStatus? outcome = null;
            try
            {
                outcome = await GuardAsync(run, async () =>
                {
                    // A cancel that lands after the last step (during the VAE decode, or while an earlier store ends)
                    // still wins over storing the result; a shutdown does not: the result is whole, so it is kept.
                    if (token.IsCancellationRequested && !stopping.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(token);
                    }

                    return await StoreAsync(job, ran, pictures, finishedAt, times, stopping) ? JobStatus.Succeeded : null;
                });
            }
            finally
            {
                foreach (var picture in pictures)
                {
                    picture.Dispose();
                }

                Close(run, outcome);
            }

            return outcome is not null;
        });
    }

    /// <summary>Runs one part of a run (its generation, or its store) and ends the job as that part's failure says.</summary>
    /// <returns>What <paramref name="work"/> returned, or the status the failure ended the job with; null when the job
    /// went back to the queue or its claim was lost.</returns>
    private async Task<JobStatus?> GuardAsync(Run run, Func<Task<JobStatus?>> work)
    {
        var job = run.Job;
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested)
        {
            // Shut down mid-job: back to the queue without counting the attempt, to run again at the next start. One try
            // (the token is already canceled): with the database away too, the lease runs out and puts it back.
            await RequeueAsync(job, run.Stopping);
            return null;
        }
        catch (OperationCanceledException)
        {
            var outcome = await FinishAsync(job, JobStatus.Canceled, null, run.Stopping);
            if (outcome is not null)
            {
                logger.LogInformation("Job {JobId} canceled while running", job.Id);
            }

            return outcome;
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
        {
            // The database went away under the job (not the job's fault): it runs again, uncounted, once it is back.
            logger.LogWarning(ex, "Job {JobId} interrupted by a database outage; it goes back to the queue when the database is back", job.Id);
            await RequeueAsync(job, run.Stopping);
            return null;
        }
        catch (Exception ex)
        {
            // The detail goes to the log; the owner sees plain words that quote the job id as the reference.
            logger.LogError(ex, "Job {JobId} failed ({Model}, {Width}x{Height}, batch {Batch})", job.Id, job.Model, job.Width, job.Height, job.BatchSize);
            return await FinishAsync(job, JobStatus.Failed, JobFailureReason.For(ex, job), run.Stopping);
        }
    }

    /// <summary>The run's end, whichever way it ended (<paramref name="outcome"/>: none when the job went back or was lost).</summary>
    private void Close(Run run, JobStatus? outcome)
    {
        run.Prepared?.Dispose();
        if (outcome is not null)
        {
            inputs.Delete(run.Job.Id); // a job requeued by a shutdown or an outage, or run again after a lost claim, keeps its inputs
        }

        run.Lost.Dispose();
        running.Unregister(run.Job.Id, run.Cancel);
        relay.Retire(run.Job.Id);
        metrics.JobEnded(Stopwatch.GetElapsedTime(run.Started), run.Kind, outcome ?? JobStatus.Queued); // Queued: back in the queue
        notifier.QueueChanged();
    }

    /// <summary>One run's state, from its generation to the end of its store.</summary>
    private sealed class Run(GenerationJob job, CancellationTokenSource cancel, CancellationToken stopping)
    {
        public GenerationJob Job { get; } = job;

        /// <summary>Stops the run: a cancel, a lost claim, or the shutdown (<see cref="Stopping"/>, linked).</summary>
        public CancellationTokenSource Cancel { get; } = cancel;

        public CancellationToken Stopping { get; } = stopping;

        public CancellationTokenRegistration Lost { get; set; }

        public long Started { get; } = Stopwatch.GetTimestamp();

        public string Kind { get; } = job.Kind.ToString();

        public JobInputs? Prepared { get; set; }
    }

    // Runs on the generation thread between steps: one indexed read, every StatusCheckInterval.
    private bool StillOurs(GenerationJob job)
    {
        try
        {
            using var db = dbFactory.CreateDbContext();
            return Claimed(db, job).Any();
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
        {
            // The database is away: go on generating; the result is stored when it is back (StoreAsync waits), and
            // the heartbeat stops the run if the lease runs out meanwhile.
            return true;
        }
    }

    private Task RequeueAsync(GenerationJob job, CancellationToken stopping) =>
        DatabaseOutage.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await Claimed(db, job)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Queued)
                    .SetProperty(j => j.WorkerId, (string?)null)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(j => j.Attempts, j => j.Attempts - 1), CancellationToken.None);
        }, stopping, ex => LogOutage(job, ex));

    private void LogOutage(GenerationJob job, Exception ex) =>
        logger.LogWarning("Job {JobId} waits for the database ({Error}); retrying", job.Id, ex.GetBaseException().Message);

    /// <summary>The job while this run's claim holds it: still running, under the token it was claimed with.</summary>
    private static IQueryable<GenerationJob> Claimed(StudioDbContext db, GenerationJob job) =>
        db.Jobs.Where(j => j.Id == job.Id && j.ClaimToken == job.ClaimToken && j.Status == JobStatus.Running);

    private void LogLost(GenerationJob job) =>
        logger.LogWarning("Job {JobId}: this run's claim (token {Token}) was lost (its lease ran out, or the job was canceled or claimed again); its result is dropped", job.Id, job.ClaimToken);

    /// <returns>false when the claim was lost: nothing was kept.</returns>
    private async Task<bool> StoreAsync(GenerationJob job, JobSpec spec, IReadOnlyList<EngineImage> results, DateTime now, RunTimes times, CancellationToken stopping)
    {
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
            var parameters = A1111Parameters.Format(job, spec, result.Seed, result.Image.Width, result.Image.Height, i);
            try
            {
                row.FileName = await images.SaveAsync(row.Id, now, result.Image, parameters, CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A full disk, or a shared volume away: this job fails (its owner is told so), without half its images.
                DeleteFiles(rows);
                throw new ImageSaveException(ex);
            }

            rows.Add(row);
            await SaveThumbnailAsync(row, result.Image);
        }

        // The images are on disk; their rows and the outcome wait out a database outage (until a shutdown, after
        // which the job runs again).
        var tries = 0;
        var stored = await DatabaseOutage.RetryAsync(() =>
        {
            if (tries > 0)
            {
                Touch(rows); // still on its way to its commit: the orphan sweep (OrphanImageSweep) leaves the files alone
            }

            return StoreRowsAsync(job, rows, now, times, afterOutage: tries++ > 0);
        }, stopping, ex => LogOutage(job, ex));
        if (!stored)
        {
            // The claim was lost meanwhile (the job canceled, or put back and claimed again): keep nothing of this
            // run, so that the job ends with one set of images, the current claim's.
            DeleteFiles(rows);

            LogLost(job);
            return false;
        }

        Report(job.Id, JobStatus.Succeeded, job.ProgressSteps, job.ProgressSteps);
        logger.LogInformation("Job {JobId} succeeded: {Count} image(s), {StepMs:0.0} ms/step, {TotalMs:0} ms (model load {LoadMs:0} ms)",
            job.Id, rows.Count, times.StepMs, times.TotalMs, times.LoadMs ?? 0);
        return true;
    }

    /// <summary>The History grid's thumbnail, made now from the pixels in memory so that no visit waits for it.
    /// Not a reason to fail the job: the thumbnail endpoint makes a missing one on its first request.</summary>
    private async Task SaveThumbnailAsync(GeneratedImage row, Image<Rgb24> image)
    {
        try
        {
            await thumbnails.SaveAsync(row.Id, image, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "The thumbnail of image {ImageId} was not written; it is made on its first request", row.Id);
        }
    }

    private void DeleteFiles(List<GeneratedImage> rows)
    {
        foreach (var row in rows)
        {
            if (images.Resolve(row.FileName) is { } path)
            {
                File.Delete(path);
            }

            thumbnails.Delete(row.Id);
        }
    }

    private void Touch(List<GeneratedImage> rows)
    {
        var now = time.GetUtcNow().UtcDateTime; // the clock the sweep compares the files' times with
        foreach (var row in rows)
        {
            if (images.Resolve(row.FileName) is { } path)
            {
                File.SetLastWriteTimeUtc(path, now);
            }
        }
    }

    /// <returns>false when the claim was lost: nothing was written.</returns>
    private async Task<bool> StoreRowsAsync(GenerationJob job, List<GeneratedImage> rows, DateTime now, RunTimes times, bool afterOutage)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);

        // A try whose commit went through but whose answer was lost to the outage: the job is already done, once.
        if (afterOutage && await db.Jobs.AnyAsync(j => j.Id == job.Id && j.Status == JobStatus.Succeeded && j.ClaimToken == job.ClaimToken && j.Images.Count == rows.Count, CancellationToken.None))
        {
            return true;
        }

        // The status change and the image rows commit together, the change first: it is the fence (the claim's token,
        // still running) and, on a server database, it locks the job's row, so that a lease sweep waits for the commit.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var updated = await Claimed(db, job)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Succeeded)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.AverageStepMs, times.StepMs)
                .SetProperty(j => j.TotalMs, times.TotalMs)
                .SetProperty(j => j.LoadMs, times.LoadMs), CancellationToken.None);
        if (updated != 1)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }

        db.Images.AddRange(rows);
        await UsageRecording.AddAsync(db, job, JobStatus.Succeeded, now, times.TotalMs, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    /// <returns>The status the job ended with (Canceled when another process canceled it meanwhile); null when the claim was lost and nothing was written.</returns>
    private async Task<JobStatus?> FinishAsync(GenerationJob job, JobStatus status, string? reason, CancellationToken stopping)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outcome = await DatabaseOutage.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            // The end and its usage record commit together (the job ran, so its run counts, with no images).
            await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
            {
                var updated = await Claimed(db, job)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, status)
                        .SetProperty(j => j.FinishedAt, now)
                        .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                        .SetProperty(j => j.FailureReason, reason), CancellationToken.None);
                if (updated == 1)
                {
                    await UsageRecording.AddAsync(db, job, status, now, null, CancellationToken.None);
                    await db.SaveChangesAsync(CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                    return (JobStatus?)status;
                }
            }

            // Canceled by another process, which stopped this run: its views here still hear of it. Otherwise the
            // claim was lost, and the job is no longer this run's to report.
            var current = await db.Jobs.Where(j => j.Id == job.Id).Select(j => new { j.Status, j.ClaimToken }).FirstOrDefaultAsync(CancellationToken.None);
            return current is not null && current.Status == JobStatus.Canceled && current.ClaimToken == job.ClaimToken ? JobStatus.Canceled : (JobStatus?)null;
        }, stopping, ex => LogOutage(job, ex));
        if (outcome is not { } ended)
        {
            LogLost(job);
            return null;
        }

        var live = notifier.GetLiveState(job.Id);
        Report(job.Id, ended, live?.Step ?? 0, job.ProgressSteps);
        return ended;
    }

    // Views here hear it from the notifier, views in other processes through the relay.
    private void Report(Guid jobId, JobStatus status, int step, int totalSteps, PreviewImage? image = null)
    {
        notifier.Report(jobId, status, step, totalSteps, image);
        relay.Publish(jobId, status, step, totalSteps, image);
    }
}

/// <summary>A run's measured times, in milliseconds: a mean step, the whole, and the model's load within it (null when
/// the model was loaded already).</summary>
internal readonly record struct RunTimes(double StepMs, double TotalMs, double? LoadMs);
