using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Team;
using WebStudio.Studio.Telemetry;
using WebStudio.Studio.Usage;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The persistent queue: submission (validation, per-user limit, rate limit, fair round), cancellation,
/// move-to-front, and the workers' claim. A claim reads the head of the queue on its index and updates one job
/// conditionally (queued → running where the status is still queued; on PostgreSQL also under a row lock), so two
/// workers — in this process or another sharing the database — can never both run a job.
/// </summary>
public sealed class JobQueue(
    IDbContextFactory<StudioDbContext> dbFactory,
    IGenerationEngine engine,
    IOptions<QueueOptions> options,
    SubmissionRateLimiter rateLimiter,
    JobProgressNotifier notifier,
    QueueSignal signal,
    RunningJobs running,
    JobInputStore inputStore,
    SeedSource seeds,
    StudioMetrics metrics,
    AuditLog audit,
    TimeProvider time,
    ILogger<JobQueue> logger)
{
    private readonly QueueOptions _options = options.Value;

    public QueuePolicy Policy => _options.Policy;

    /// <summary>Queues <paramref name="spec"/>: a random seed for -1, the model's native size for a text-to-image
    /// size left out, validated for its kind, then written with its prepared <paramref name="inputs"/> (edits).</summary>
    public Task<SubmitOutcome> SubmitAsync(string userId, JobSpec spec, JobInputs? inputs, JobSource source, CancellationToken cancellationToken = default) =>
        SubmitAllAsync(userId, [(spec, inputs)], source, cancellationToken);

    /// <summary>Queues text-to-image <paramref name="specs"/> together (a dynamic prompt's or an X/Y plot's, a job each): all of
    /// them, each in its own round after the one before, or none, refused as one submission of that many jobs.</summary>
    public Task<SubmitOutcome> SubmitAllAsync(string userId, IReadOnlyList<JobSpec.Txt2Img> specs, JobSource source, CancellationToken cancellationToken = default) =>
        SubmitAllAsync(userId, specs.Select(s => ((JobSpec)s, (JobInputs?)null)).ToList(), source, cancellationToken);

    /// <summary>Queues <paramref name="submitted"/> jobs with their prepared inputs (an edit's, a job each for a dynamic
    /// prompt's choices; one set of inputs may serve several): all of them or none, as the text-to-image overload.</summary>
    public async Task<SubmitOutcome> SubmitAllAsync(string userId, IReadOnlyList<(JobSpec Spec, JobInputs? Inputs)> submitted, JobSource source, CancellationToken cancellationToken = default)
    {
        if (submitted.Count == 0)
        {
            throw new ArgumentException("A submission needs a job.", nameof(submitted));
        }

        var jobs = new List<(JobSpec Spec, JobInputs? Inputs, int Width, int Height)>(submitted.Count);
        foreach (var (given, inputs) in submitted)
        {
            var spec = Resolve(given);
            var (width, height) = spec is JobSpec.Txt2Img txt ? (txt.Width ?? 0, txt.Height ?? 0)
                : inputs is not null ? (inputs.Width, inputs.Height)
                : throw new ArgumentException($"A {spec.Kind} job needs its prepared inputs.", nameof(submitted));
            if (Check(spec, width, height, inputs) is { Count: > 0 } problems)
            {
                // Of several jobs, the first that cannot run says which it is.
                return new SubmitOutcome(null, SubmitRefusal.Invalid, submitted.Count == 1 ? problems
                    : problems.Select(p => p with { Message = $"{p.Message} (job {jobs.Count + 1} of {submitted.Count}: \"{(spec as JobSpec.Diffusion)?.Prompt}\")" }).ToList());
            }

            jobs.Add((spec, inputs, width, height));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // One write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: a per-user lock) from the count to the insert,
        // so that concurrent submissions of one user cannot both pass the per-user limit.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await QueueStatements.LockSubmissionsAsync(db, userId, cancellationToken);
        // The user's role and quotas, read in this transaction: what the role forbids is refused before any count.
        var policy = await TeamPolicies.ForUserAsync(db, userId, cancellationToken);
        foreach (var (spec, _, width, height) in jobs)
        {
            if (SubmissionRules.Check(policy, spec, width, height) is { Count: > 0 } forbidden)
            {
                return new SubmitOutcome(null, SubmitRefusal.Forbidden, forbidden);
            }
        }

        var createdAt = rateLimiter.Now();
        var use = await QuotaGate.UseAsync(db, userId, policy.Quotas, createdAt, cancellationToken);
        var maxQueued = policy.Quotas.MaxQueued ?? _options.MaxQueuedPerUser;
        if (use.Queued + jobs.Count > maxQueued)
        {
            var room = Math.Max(0, maxQueued - use.Queued);
            return new SubmitOutcome(null, SubmitRefusal.QueueFull,
                [new FieldProblem("queue", jobs.Count == 1
                    ? $"the queue is full ({maxQueued} jobs per user): the queued-jobs quota; a place frees when one of your jobs starts"
                    : $"these are {jobs.Count} jobs, and your queue has room for {room} ({maxQueued} jobs per user: the queued-jobs quota)")], SubmitOutcome.QueueFullRetryAfter);
        }

        // Counted in this transaction from the jobs themselves, so the limit holds across web nodes. Several jobs pass
        // only where the minute has room for all of them.
        var perMinute = policy.Quotas.SubmissionsPerMinute ?? rateLimiter.Limit;
        if (jobs.Count > perMinute)
        {
            return new SubmitOutcome(null, SubmitRefusal.Invalid,
                [new FieldProblem("rate", $"these are {jobs.Count} jobs, and at most {perMinute} can be submitted a minute: the submissions-per-minute quota")]);
        }

        if (await rateLimiter.CheckAsync(db, userId, createdAt, perMinute - jobs.Count + 1, cancellationToken) is { } retryAfter)
        {
            return new SubmitOutcome(null, SubmitRefusal.RateLimited,
                [new FieldProblem("rate", $"too many submissions (at most {perMinute} a minute): the submissions-per-minute quota; try again in {Math.Ceiling(retryAfter.TotalSeconds):0} seconds")], retryAfter);
        }

        if (QuotaGate.Check(use, jobs.Sum(j => j.Spec is JobSpec.Diffusion d ? d.BatchSize : 1), createdAt) is { } overQuota)
        {
            return new SubmitOutcome(null, SubmitRefusal.QuotaExceeded, [new FieldProblem(overQuota.Field, overQuota.Message)], overQuota.RetryAfter);
        }

        var queued = new List<GenerationJob>(jobs.Count);
        foreach (var (spec, inputs, width, height) in jobs)
        {
            // Each job's round follows the one before, read after it is written: a user's several jobs take turns with
            // everyone else's as separate submissions would.
            var job = new GenerationJob
            {
                OwnerId = userId,
                Source = source,
                Width = width,
                Height = height,
                // A microsecond apart (PostgreSQL's resolution), so that History lists them in the order they were queued.
                CreatedAt = createdAt.AddTicks(queued.Count * TimeSpan.TicksPerMicrosecond),
                Round = await QueueStatements.NextRoundAsync(db, userId, cancellationToken),
            };
            JobSpecJson.Store(job, spec);
            db.Jobs.Add(job);
            inputStore.Save(job.Id, inputs);
            await db.SaveChangesAsync(cancellationToken);
            queued.Add(job);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var job in queued)
        {
            logger.LogInformation("Job {JobId} queued by {UserId} ({Model}, {Steps} steps)", job.Id, userId, job.Model, job.Steps);
        }

        signal.Pulse();
        notifier.QueueChanged();
        return SubmitOutcome.Accepted(queued);
    }

    // Each kind is checked where it is built; a diffusion run also by the engine (model, size, memory). A model of the
    // wrong kind (instruction edit vs text to image) is refused first, naming one that fits.
    private IReadOnlyList<FieldProblem> Check(JobSpec spec, int width, int height, JobInputs? inputs)
    {
        IReadOnlyList<FieldProblem> problems = spec is not JobSpec.Diffusion diffusion ? []
            : InstructionModels.Check(diffusion, engine.Models()) is { } wrongKind ? [wrongKind]
            : engine.Validate(new DiffusionRun(diffusion, width, height, inputs?.Image, inputs?.Mask));
        if (spec is JobSpec.Txt2Img { Hires: { } hires })
        {
            problems = [.. problems, .. HiresPassCheck.Problems(hires, width, height)];
        }

        return SeedSource.Check(spec) is { } badSeed ? [badSeed, .. problems] : problems;
    }

    private JobSpec Resolve(JobSpec spec)
    {
        if (spec.Seed == -1)
        {
            spec = spec with { Seed = seeds.Next() };
        }

        if (spec is JobSpec.Txt2Img { VariationSeed: -1 } varied)
        {
            spec = varied with { VariationSeed = seeds.Next() };
        }

        if (spec is JobSpec.Txt2Img txt && (txt.Width is null || txt.Height is null)
            && engine.Models().FirstOrDefault(m => m.Name == txt.Model) is { } model)
        {
            spec = txt with { Width = txt.Width ?? model.NativeWidth, Height = txt.Height ?? model.NativeHeight };
        }

        return spec;
    }

    /// <summary>Cancels a queued job at once, or tells a running one to stop (it stops within one step). An
    /// administrator's cancel of someone else's job is written to the audit log.</summary>
    public async Task<CancelOutcome> CancelAsync(Guid jobId, string userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var outcome = await CancelUnauditedAsync(jobId, userId, isAdmin, cancellationToken);
        if (outcome is CancelOutcome.Canceled or CancelOutcome.Stopping && isAdmin)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.Jobs.AsNoTracking().Where(j => j.Id == jobId && j.OwnerId != userId).Select(j => j.OwnerId).FirstOrDefaultAsync(cancellationToken) is { } owner)
            {
                await audit.AppendAsync(new Actor(userId, ""), AuditActions.JobCanceled, $"job {jobId}", $"owner {await AuditLog.NameOfAsync(db, owner, cancellationToken)}", cancellationToken);
            }
        }

        return outcome;
    }

    /// <summary>The cancel itself, for callers that audit the cause instead (disabling an account cancels its jobs).</summary>
    public async Task<CancelOutcome> CancelUnauditedAsync(Guid jobId, string userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || (job.OwnerId != userId && !isAdmin))
        {
            return CancelOutcome.NotFound;
        }

        if (job.Status is JobStatus.Queued or JobStatus.Held)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var rows = await db.Jobs.Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Held))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Canceled).SetProperty(j => j.FinishedAt, now), cancellationToken);
            if (rows == 1)
            {
                inputStore.Delete(jobId); // a canceled job never runs, so its saved edit images are not needed
                notifier.Report(jobId, JobStatus.Canceled, 0, job.ProgressSteps);
                notifier.QueueChanged();
                return CancelOutcome.Canceled;
            }

            job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId, cancellationToken); // claimed meanwhile
        }

        if (job.Status == JobStatus.Running)
        {
            if (running.Cancel(jobId))
            {
                return CancelOutcome.Stopping;
            }

            // It runs in another process on this database: the status change is the message. Its worker reads the
            // status between steps (JobRunner.StatusCheckInterval) and stops.
            var now = time.GetUtcNow().UtcDateTime;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Canceled).SetProperty(j => j.FinishedAt, now), cancellationToken);
            if (rows == 1)
            {
                // It ran: its run counts (its worker, seeing the cancel, writes nothing).
                await UsageRecording.AddAsync(db, job, JobStatus.Canceled, now, null, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                notifier.Report(jobId, JobStatus.Canceled, notifier.GetLiveState(jobId)?.Step ?? 0, job.ProgressSteps);
                notifier.QueueChanged();
                return CancelOutcome.Stopping;
            }
        }

        return CancelOutcome.AlreadyFinished;
    }

    /// <summary>Administrator: the job runs next, ahead of the fairness order.</summary>
    public async Task<bool> MoveToFrontAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var top = await db.Jobs.Where(j => j.Status == JobStatus.Queued).MaxAsync(j => (long?)j.Priority, cancellationToken) ?? 0;
        var rows = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Priority, top + 1), cancellationToken);
        if (rows == 1)
        {
            notifier.QueueChanged();
        }

        return rows == 1;
    }

    /// <summary>Administrator: a queued job stays where it is in the order, and no worker takes it until
    /// <see cref="ReleaseAsync"/>. False if the job is not queued (running, finished, held already or gone).</summary>
    public Task<bool> HoldAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        MoveAsync(jobId, JobStatus.Queued, JobStatus.Held, cancellationToken);

    /// <summary>Administrator: a held job is queued again, in the place it had (its round and age are unchanged).</summary>
    public async Task<bool> ReleaseAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var released = await MoveAsync(jobId, JobStatus.Held, JobStatus.Queued, cancellationToken);
        if (released)
        {
            signal.Pulse(); // it may run at once
        }

        return released;
    }

    private async Task<bool> MoveAsync(Guid jobId, JobStatus from, JobStatus to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId && j.Status == from).Select(j => new { j.Steps, j.BatchSize, j.HiresSteps }).FirstOrDefaultAsync(cancellationToken);
        if (job is null || await db.Jobs.Where(j => j.Id == jobId && j.Status == from).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, to), cancellationToken) != 1)
        {
            return false;
        }

        notifier.Report(jobId, to, 0, GenerationJob.ProgressStepsOf(job.Steps, job.BatchSize, job.HiresSteps));
        notifier.QueueChanged();
        return true;
    }

    /// <summary>Queued jobs in the order they will run (<see cref="QueueOrderSql.OrderBy"/>), read in that order
    /// from the queue's partial index.</summary>
    public async Task<IReadOnlyList<QueuedJobInfo>> OrderAsync(StudioDbContext db, CancellationToken cancellationToken) =>
        await InRunOrder(db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued))
            .Select(j => new QueuedJobInfo(j.Id, j.OwnerId, j.CreatedAt, j.Priority, j.Steps, j.BatchSize, j.Model, j.Width, j.Height, j.Scheduler,
                j.HiresFactor, j.HiresSteps))
            .ToListAsync(cancellationToken);

    /// <summary>Queued jobs in run order: the same ORDER BY as <see cref="QueueOrderSql.OrderBy"/>.</summary>
    public IQueryable<GenerationJob> InRunOrder(IQueryable<GenerationJob> queued) => _options.Policy == QueuePolicy.Fifo
        ? queued.OrderByDescending(j => j.Priority).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
        : queued.OrderByDescending(j => j.Priority).ThenBy(j => j.Round).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id);

    /// <summary>Claims the next job for <paramref name="workerId"/>, or returns null when nothing is queued. The
    /// worker runs any model and prefers none.</summary>
    public Task<GenerationJob?> ClaimNextAsync(string workerId, CancellationToken cancellationToken) =>
        ClaimNextAsync(workerId, WorkerModels.Any, cancellationToken);

    /// <summary>
    /// Claims the next job for <paramref name="workerId"/> that it can run, or returns null when none is queued. It
    /// reads the head of the queue on its index (<see cref="QueueOrderSql.ClaimHead"/>, at most
    /// <see cref="QueueOptions.ModelAffinityWindow"/> rows), takes the first job for a loaded model in it, else the
    /// first (<see cref="WorkerModels.Choose"/>), and marks it running with a new claim token, in one transaction
    /// with the owner's fairness state. PostgreSQL locks the head's rows (FOR UPDATE SKIP LOCKED), so concurrent
    /// workers take different jobs; SQLite has no row locks: the update is conditional (still queued) and a claim
    /// that lost the race reads the head again.
    /// </summary>
    public async Task<GenerationJob?> ClaimNextAsync(string workerId, WorkerModels models, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var postgres = db.Database.IsNpgsql();
        var window = Math.Max(1, _options.ModelAffinityWindow);
        if (postgres)
        {
            // The usual claim is one statement; the transaction below is for the rest (the window, an empty queue).
            var now = time.GetUtcNow().UtcDateTime;
            var takeAny = window == 1 || models.Loaded.Count == 0;
            if (await QueueStatements.ClaimHeadOnPostgresAsync(db, _options.Policy, models, takeAny, workerId, now, now + _options.Lease, cancellationToken) is { } claimed)
            {
                notifier.QueueChanged();
                return claimed;
            }
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            // SQLite: an empty queue is seen without taking the write lock (idle workers look often).
            if (!postgres && (await QueueStatements.ReadClaimHeadAsync(db, _options.Policy, models.CanRun, 1, cancellationToken)).Count == 0)
            {
                return null;
            }

            // The claim and the owner's fairness state commit together: one durable write on the hand-over path.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            IReadOnlyList<ClaimCandidate> head;
            if (!postgres)
            {
                // Read again under SQLite's write lock (BEGIN IMMEDIATE): no other claim can take the head before the
                // update, so concurrent workers queue up on the lock instead of all missing the same job.
                head = await QueueStatements.ReadClaimHeadAsync(db, _options.Policy, models.CanRun, window, cancellationToken);
            }
            else
            {
                // PostgreSQL locks what it reads: first the head alone, which is the job taken unless its model is
                // not loaded here, and only then the window, so that other claimers skip as few rows as possible.
                head = await QueueStatements.ReadClaimHeadAsync(db, _options.Policy, models.CanRun, 1, cancellationToken);
                if (window > 1 && head.Count == 1 && models.Choose(head) is { Priority: 0 } first && !models.IsLoaded(first))
                {
                    head = await QueueStatements.ReadClaimHeadAsync(db, _options.Policy, models.CanRun, window, cancellationToken);
                }
            }

            if (head.Count == 0)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return null;
            }

            var chosen = models.Choose(head);
            var now = time.GetUtcNow().UtcDateTime;
            var leaseEnd = now + _options.Lease;
            if (postgres)
            {
                // The head's rows are locked by this transaction: the job is still queued.
                var job = await QueueStatements.ClaimOnPostgresAsync(db, chosen, workerId, now, leaseEnd, cancellationToken);
                if (job is null)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    metrics.ClaimConflict();
                    continue;
                }

                await transaction.CommitAsync(CancellationToken.None);
                notifier.QueueChanged();
                return job;
            }

            var rows = await db.Jobs
                .Where(j => j.Id == chosen.Id && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.StartedAt, now)
                    .SetProperty(j => j.WorkerId, workerId)
                    .SetProperty(j => j.LeaseExpiresAt, leaseEnd)
                    .SetProperty(j => j.ClaimToken, j => j.ClaimToken + 1)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1), cancellationToken);
            if (rows != 1)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                metrics.ClaimConflict();
                continue; // another worker took it (SQLite); read the head again
            }

            // The job is this worker's now: a shutdown landing here must not strand it as Running, so the claim
            // completes and the runner, seeing the stop, puts the job back in the queue.
            await QueueStatements.MarkServedAsync(db, chosen.OwnerId, now, chosen.Priority > 0 ? null : chosen.Round, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            notifier.QueueChanged();
            // Read back with the claim's token (ClaimToken), which fences every write of this run.
            return await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == chosen.Id, CancellationToken.None);
        }

        return null;
    }

    /// <summary>
    /// At start-up, a fast path of the lease (<see cref="JobLeases"/>): the lease of each job left running by a worker
    /// process of this machine (<paramref name="machinePrefix"/>) that no longer exists ends now, rather than when it
    /// runs out, and the lease sweep (<see cref="JobLeases.RequeueExpiredAsync"/>) puts it back in the queue, or fails
    /// it after <see cref="QueueOptions.MaxAttempts"/> attempts, as it does every expired lease: attempts, the limit
    /// and the reason live there. A job of a process that still runs (another worker process on this machine, one
    /// per GPU) or that cannot be told dead (the same process id, as a restarted container has) is left to its lease,
    /// as are jobs of other machines.
    /// </summary>
    /// <returns>What the sweep did (any expired lease counts, not only those ended here).</returns>
    public async Task<(int Requeued, int Failed)> RecoverInterruptedAsync(string machinePrefix, JobLeases leases, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var candidates = await db.Jobs.AsNoTracking()
                .Where(j => j.Status == JobStatus.Running && j.WorkerId != null && j.WorkerId.StartsWith(machinePrefix))
                .Select(j => new { j.Id, j.WorkerId, j.ClaimToken })
                .ToListAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var ended = 0;
            foreach (var job in candidates.Where(j => WorkerProcessIsGone(j.WorkerId!, machinePrefix)))
            {
                // Conditional on the claim seen, so that a job claimed again meanwhile keeps its lease.
                ended += await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running && j.ClaimToken == job.ClaimToken)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, now), cancellationToken);
            }

            if (ended > 0)
            {
                logger.LogWarning("Ended the leases of {Count} job(s) of stopped worker processes on this machine", ended);
            }
        }

        return await leases.RequeueExpiredAsync(cancellationToken);
    }

    // Worker ids are "{machine}/{process id}/{instance}#{loop}" (QueueWorkerService).
    private static bool WorkerProcessIsGone(string workerId, string machinePrefix)
    {
        var rest = workerId[machinePrefix.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !int.TryParse(rest[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }
}
