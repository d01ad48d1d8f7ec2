using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;

namespace WebStudio.Studio.Queue;

/// <summary>
/// One line of the queue as a viewer may see it. A member sees only their own jobs; the administrator every job,
/// with its owner, and another user's prompt only where <see cref="QueueOptions.AdministratorsSeePrompts"/> allows
/// (else null). A held job has position 0 and no ETA.
/// </summary>
public sealed record QueueEntry(
    Guid JobId, bool Mine, string? OwnerName, string? Prompt, JobStatus Status, int Position, int Step, int TotalSteps,
    TimeSpan Eta, DateTime CreatedAt, long Priority)
{
    public string Model { get; init; } = "";

    public int Width { get; init; }

    public int Height { get; init; }

    public int BatchSize { get; init; } = 1;

    /// <summary>When a queued job's model is offered by no live worker (removed, or installed on no worker that runs
    /// now), the time <see cref="UnservedJobs"/> fails it unless a worker comes up with the model; the claim passes it
    /// by meanwhile, so it has no ETA. Null otherwise.</summary>
    public DateTime? UnservedUntil { get; init; }
}

/// <summary>An administrator's pause of the queue: since when, by whom, and why.</summary>
public sealed record QueuePauseInfo(DateTime At, string By, string Reason);

/// <summary>The queue for one viewer: total length, and the entries they may see (all for the administrator).</summary>
public sealed record QueueView(int Queued, int Running, IReadOnlyList<QueueEntry> Entries)
{
    /// <summary>Held jobs, counted like <see cref="Queued"/> (all for the administrator, the viewer's own for a member).</summary>
    public int Held { get; init; }

    /// <summary>Set while the queue is paused: no job starts until an administrator resumes it.</summary>
    public QueuePauseInfo? Paused { get; init; }

    /// <summary>The entry's ETA, or null where none can be told: a held job, a queued one while the queue is paused, or
    /// one of a model that no live worker offers (<see cref="QueueEntry.UnservedUntil"/>).</summary>
    public TimeSpan? EtaOf(QueueEntry entry) =>
        entry.Status == JobStatus.Held || entry.UnservedUntil is not null || Paused is not null && entry.Status == JobStatus.Queued ? null : entry.Eta;

    /// <summary>
    /// A member's view: other users' queued and running jobs, counted but not among <see cref="Entries"/>, so that
    /// the page's counts match its rows. None in the administrator's view, whose entries are every job.
    /// </summary>
    public (int Queued, int Running)? Others { get; init; }
}

/// <summary>
/// Positions and ETAs. The ETA is the time of the work ahead (running jobs' remaining steps and the queued jobs
/// before), each job at its own model's measured rate and in proportion to its steps, images and pixels
/// (<see cref="WorkRates"/>), and the load of each model ahead that no worker holds (<see cref="ModelLoadCharges"/>),
/// shared out over the workers.
/// </summary>
public sealed class QueueSnapshot(
    IDbContextFactory<StudioDbContext> dbFactory,
    JobQueue queue,
    JobProgressNotifier notifier,
    IOptions<QueueOptions> options,
    TimeProvider time)
{
    public async Task<QueueView> GetAsync(string userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var paused = await PausedAsync(db, cancellationToken);
        var view = isAdmin ? await GetForAdministratorAsync(db, userId, cancellationToken) : await GetForUserAsync(db, userId, cancellationToken);
        return view with { Paused = paused };
    }

    /// <summary>
    /// One job's place, as its owner's view gives it, for a program that polls a job (GET /api/jobs/{id}): its
    /// position while queued, and the time until it ends (null while held, queued in a paused queue, or queued for a
    /// model that no live worker offers). It reads only what that line needs, where the whole view also counts the
    /// queue and reads the owner's other jobs. Null when the job is no longer waiting or running.
    /// </summary>
    public async Task<(int? Position, TimeSpan? Eta)?> PlaceOfAsync(Guid jobId, string ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.Where(j => j.Id == jobId).Select(j => new { j.Status, j.Kind, j.Model, j.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
        var status = job?.Status;
        if (status == JobStatus.Held)
        {
            return (null, null);
        }

        if (status is not (JobStatus.Queued or JobStatus.Running))
        {
            return null;
        }

        var rates = await QueueStatements.ReadRatesAsync(db, waiting: null, cancellationToken);
        var workers = await LiveWorkersAsync(db, cancellationToken);
        var charges = workers.ChargesFor(rates);
        var running = await RunningAsync(db, rates, charges, cancellationToken);
        if (status == JobStatus.Running)
        {
            return running.FirstOrDefault(r => r.Id == jobId) is { } runningJob ? (null, runningJob.Left) : null;
        }

        var mine = await QueueStatements.ViewerPositionsAsync(db, queue.Policy, ownerId, rates, workers.Served, cancellationToken);
        if (mine.FirstOrDefault(m => m.Id == jobId) is not { Position: > 0 } entry)
        {
            return null; // claimed or canceled meanwhile
        }

        var paused = await PausedAsync(db, cancellationToken);
        if (workers.UnservedUntil(job!.Kind, job.Model, job.CreatedAt) is not null)
        {
            return (entry.Position, null);
        }

        var loads = await LoadsUpToAsync(db, charges, cancellationToken);
        var eta = (running.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Left) + entry.Work + loads(entry.Position)) / Math.Max(1, options.Value.EffectiveWorkers);
        return (entry.Position, paused is null ? eta : null);
    }

    // The one row by its key: a first row of no stated order is what EF Core warns of on every start.
    private static Task<QueuePauseInfo?> PausedAsync(StudioDbContext db, CancellationToken cancellationToken) =>
        db.QueuePauses.AsNoTracking().Where(p => p.Id == QueuePause.Single)
            .Select(p => new QueuePauseInfo(p.PausedAt, p.PausedBy, p.Reason)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The administrator's view: every queued, held and running job, with owner, model, size and steps.</summary>
    private async Task<QueueView> GetForAdministratorAsync(StudioDbContext db, string userId, CancellationToken cancellationToken)
    {
        var order = await queue.OrderAsync(db, cancellationToken);
        var runningJobs = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running)
            .Select(j => new { j.Id, j.OwnerId, j.Steps, j.BatchSize, j.CreatedAt, j.Priority, j.Model, j.Width, j.Height, j.Scheduler, j.HiresFactor, j.HiresSteps })
            .ToListAsync(cancellationToken);
        var heldJobs = await queue.InRunOrder(db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Held))
            .Select(j => new { j.Id, j.OwnerId, j.Steps, j.CreatedAt, j.Priority })
            .ToListAsync(cancellationToken);
        var rates = await QueueStatements.ReadRatesAsync(db, [.. order.Select(j => j.Model), .. runningJobs.Select(j => j.Model)], cancellationToken);
        var live = await LiveWorkersAsync(db, cancellationToken);
        var charges = live.ChargesFor(rates);
        var workers = Math.Max(1, options.Value.EffectiveWorkers);
        var prompts = options.Value.AdministratorsSeePrompts;

        var visibleIds = order.Select(j => j.Id).Concat(runningJobs.Select(j => j.Id)).Concat(heldJobs.Select(j => j.Id)).ToList();
        var details = await db.Jobs.AsNoTracking().Where(j => visibleIds.Contains(j.Id))
            .Select(j => new { j.Id, j.OwnerId, j.Prompt, OwnerName = j.Owner!.UserName, j.Model, j.Width, j.Height, j.BatchSize, j.Kind })
            .ToDictionaryAsync(j => j.Id, cancellationToken);
        QueueEntry Described(QueueEntry entry) => details.TryGetValue(entry.JobId, out var d)
            ? entry with
            {
                Prompt = prompts || d.OwnerId == userId ? d.Prompt : null, Model = d.Model, Width = d.Width, Height = d.Height, BatchSize = d.BatchSize,
                UnservedUntil = entry.Status == JobStatus.Queued ? live.UnservedUntil(d.Kind, d.Model, entry.CreatedAt) : null,
            }
            : entry;

        var entries = new List<QueueEntry>();
        var ahead = TimeSpan.Zero;
        foreach (var job in runningJobs)
        {
            var (step, left) = Remaining(rates, charges, job.Id, job.Model, job.Scheduler, job.Steps, job.BatchSize, job.Width, job.Height, job.HiresFactor, job.HiresSteps);
            ahead += left;
            if (details.TryGetValue(job.Id, out var d))
            {
                entries.Add(Described(new QueueEntry(job.Id, job.OwnerId == userId, d.OwnerName, null,
                    JobStatus.Running, 0, step, GenerationJob.ProgressStepsOf(job.Steps, job.BatchSize, job.HiresSteps), left, job.CreatedAt, job.Priority)));
            }
        }

        for (var i = 0; i < order.Count; i++)
        {
            var job = order[i];
            var d = details.GetValueOrDefault(job.Id);
            // A job that no live worker can run adds no time to the jobs behind it: no claim takes it.
            if (d is null || live.UnservedUntil(d.Kind, d.Model, job.CreatedAt) is null)
            {
                ahead += rates.TimeOf(job.Model, job.Scheduler, job.Steps, job.BatchSize, job.Width, job.Height, job.HiresFactor, job.HiresSteps)
                    + charges.ChargeFor(job.Model);
            }

            if (d is not null)
            {
                entries.Add(Described(new QueueEntry(job.Id, job.OwnerId == userId, d.OwnerName, null,
                    JobStatus.Queued, i + 1, 0, job.Steps, ahead / workers, job.CreatedAt, job.Priority)));
            }
        }

        foreach (var job in heldJobs)
        {
            if (details.TryGetValue(job.Id, out var d))
            {
                entries.Add(Described(new QueueEntry(job.Id, job.OwnerId == userId, d.OwnerName, null,
                    JobStatus.Held, 0, 0, job.Steps, TimeSpan.Zero, job.CreatedAt, job.Priority)));
            }
        }

        return new QueueView(order.Count, runningJobs.Count, entries) { Held = heldJobs.Count };
    }

    /// <summary>A user's view: the database numbers the queue and returns only the user's queued jobs, with the work
    /// ahead of each, so the page does not read the whole queue.</summary>
    private async Task<QueueView> GetForUserAsync(StudioDbContext db, string userId, CancellationToken cancellationToken)
    {
        var queued = await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued, cancellationToken);
        var othersQueued = await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued && j.OwnerId != userId, cancellationToken);
        var rates = await QueueStatements.ReadRatesAsync(db, waiting: null, cancellationToken);
        var live = await LiveWorkersAsync(db, cancellationToken);
        var mine = await QueueStatements.ViewerPositionsAsync(db, queue.Policy, userId, rates, live.Served, cancellationToken);
        var charges = live.ChargesFor(rates);
        var runningJobs = await RunningAsync(db, rates, charges, cancellationToken);
        var loads = await LoadsUpToAsync(db, charges, cancellationToken);
        var workers = Math.Max(1, options.Value.EffectiveWorkers);
        var ids = mine.Select(m => m.Id).ToList();
        var details = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))
            .Select(j => new { j.Id, j.Prompt, j.Steps, j.CreatedAt, j.Priority, j.Model, j.Width, j.Height, j.BatchSize, j.Kind })
            .ToDictionaryAsync(j => j.Id, cancellationToken);
        var held = await db.Jobs.AsNoTracking().Where(j => j.OwnerId == userId && j.Status == JobStatus.Held).OrderBy(j => j.CreatedAt)
            .Select(j => new { j.Id, j.Prompt, j.Steps, j.CreatedAt, j.Priority, j.Model, j.Width, j.Height, j.BatchSize })
            .ToListAsync(cancellationToken);

        var entries = new List<QueueEntry>();
        var running = TimeSpan.Zero;
        foreach (var job in runningJobs)
        {
            running += job.Left;
            if (job.OwnerId == userId)
            {
                entries.Add(new QueueEntry(job.Id, true, null, job.Prompt, JobStatus.Running, 0, job.Step, job.Steps, job.Left, job.CreatedAt, job.Priority));
            }
        }

        foreach (var (id, position, work) in mine)
        {
            if (details.TryGetValue(id, out var d)) // gone meanwhile (claimed or canceled): left out
            {
                entries.Add(new QueueEntry(id, true, null, d.Prompt, JobStatus.Queued, position, 0, d.Steps,
                    (running + work + loads(position)) / workers, d.CreatedAt, d.Priority)
                    { Model = d.Model, Width = d.Width, Height = d.Height, BatchSize = d.BatchSize, UnservedUntil = live.UnservedUntil(d.Kind, d.Model, d.CreatedAt) });
            }
        }

        entries.AddRange(held.Select(d => new QueueEntry(d.Id, true, null, d.Prompt, JobStatus.Held, 0, 0, d.Steps, TimeSpan.Zero, d.CreatedAt, d.Priority)
            { Model = d.Model, Width = d.Width, Height = d.Height, BatchSize = d.BatchSize }));
        return new QueueView(queued, runningJobs.Count, entries) { Others = (othersQueued, runningJobs.Count(j => j.OwnerId != userId)), Held = held.Count };
    }

    /// <summary>A running job, with its step and the time it has left (<see cref="Remaining"/>).</summary>
    private sealed record RunningJob(Guid Id, string OwnerId, string Prompt, int Steps, DateTime CreatedAt, long Priority, int Step, TimeSpan Left);

    /// <summary>Every running job (their remaining work is ahead of every queued one), with the time each has left.</summary>
    private async Task<List<RunningJob>> RunningAsync(StudioDbContext db, WorkRates rates, ModelLoadCharges charges, CancellationToken cancellationToken)
    {
        var rows = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running)
            .Select(j => new { j.Id, j.OwnerId, j.Steps, j.BatchSize, j.CreatedAt, j.Priority, j.Prompt, j.Model, j.Width, j.Height, j.Scheduler, j.HiresFactor, j.HiresSteps })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(j =>
        {
            var (step, left) = Remaining(rates, charges, j.Id, j.Model, j.Scheduler, j.Steps, j.BatchSize, j.Width, j.Height, j.HiresFactor, j.HiresSteps);
            return new RunningJob(j.Id, j.OwnerId, j.Prompt, GenerationJob.ProgressStepsOf(j.Steps, j.BatchSize, j.HiresSteps), j.CreatedAt, j.Priority, step, left);
        })];
    }

    /// <summary>A running job's step as its progress last said, and the time of the steps it has left, with its
    /// model's load while it has not made a step of a model that no worker holds. A hires fix's steps follow the first
    /// pass's in its progress: past them, what is left is the share of the second passes not yet run.</summary>
    private (int Step, TimeSpan Left) Remaining(WorkRates rates, ModelLoadCharges charges, Guid id, string model, string scheduler, int steps, int images,
        int width, int height, int? hiresFactor, int? hiresSteps)
    {
        var step = notifier.GetLiveState(id)?.Step ?? 0;
        var left = step < steps || hiresFactor is not { } factor || hiresSteps is not ({ } second and > 0)
            ? rates.TimeOf(model, scheduler, Math.Max(0, steps - step), images, width, height, hiresFactor, hiresSteps)
            : rates.TimeOf(model, scheduler, second, images, width * factor, height * factor)
                * Math.Max(0, 1 - (double)(step - steps) / (second * images));
        return (step, left + charges.ChargeForRunning(model, step));
    }

    /// <summary>The workers heard from within the lease, read once per view: the models they hold loaded (for the load
    /// charges) and the models they can run (for <see cref="QueueEntry.UnservedUntil"/>).</summary>
    private async Task<LiveWorkers> LiveWorkersAsync(StudioDbContext db, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime - options.Value.Lease;
        var workers = await db.Workers.AsNoTracking().Where(w => w.LastHeartbeatAt >= since)
            .Select(w => new { w.Models, w.LoadedModels }).ToListAsync(cancellationToken);
        return new LiveWorkers(
            workers.Count,
            [.. workers.SelectMany(w => w.LoadedModels).Distinct(StringComparer.Ordinal)],
            workers.SelectMany(w => w.Models).ToHashSet(StringComparer.Ordinal),
            options.Value.UnservedModelTimeout);
    }

    private sealed record LiveWorkers(int Count, IReadOnlyList<string> Held, IReadOnlySet<string> Offered, TimeSpan UnservedTimeout)
    {
        /// <summary>The loads to charge: none where no waiting model has a measured load, nor for a model that no live
        /// worker can load.</summary>
        public ModelLoadCharges ChargesFor(WorkRates rates)
        {
            var loads = Served is null ? rates.Loads : rates.Loads.Where(l => Offered.Contains(l.Key)).ToDictionary(StringComparer.Ordinal);
            return new(loads, loads.Count == 0 ? [] : Held);
        }

        /// <summary>The models whose jobs a live worker can take (with upscales, which every worker runs), or null while
        /// no worker is live, when every job counts as served (see <see cref="UnservedUntil"/>).</summary>
        public IReadOnlyCollection<string>? Served => Count > 0 ? Offered : null;

        /// <summary>
        /// For a queued job of a kind, model and submission time: when <see cref="UnservedJobs"/> fails it, where no live
        /// worker offers its model (else null). Nothing is unserved while no worker is live (the studio is starting, or
        /// its workers are all down), as the sweep fails nothing then. An upscale's model column names its upscaler,
        /// which every worker runs.
        /// </summary>
        public DateTime? UnservedUntil(JobKind kind, string model, DateTime createdAt) =>
            Count > 0 && kind != JobKind.Upscale && !Offered.Contains(model) ? createdAt + UnservedTimeout : null;
    }

    /// <summary>For a view summed in SQL: the loads up to each run position, once the running jobs are charged. The
    /// queue's first positions are read only where a queued model may pay a load.</summary>
    private async Task<Func<int, TimeSpan>> LoadsUpToAsync(StudioDbContext db, ModelLoadCharges charges, CancellationToken cancellationToken)
    {
        if (charges.Unheld.Count == 0)
        {
            return _ => TimeSpan.Zero;
        }

        var first = await QueueStatements.FirstPositionsAsync(db, queue.Policy, cancellationToken);
        return position => charges.UpTo(position, first);
    }
}
