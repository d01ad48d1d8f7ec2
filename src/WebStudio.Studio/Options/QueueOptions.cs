namespace WebStudio.Studio.Options;

public enum QueuePolicy
{
    /// <summary>Round-robin: the oldest queued job of the user served least recently runs next.</summary>
    Fair,

    /// <summary>Strict submission order.</summary>
    Fifo,
}

/// <summary>The "Queue" section of appsettings.json.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queue";

    public QueuePolicy Policy { get; set; } = QueuePolicy.Fair;

    /// <summary>Worker loops in this process; 0 means one per execution device (one GPU, or the CPU).</summary>
    public int Workers { get; set; }

    /// <summary>False for a process that only serves the studio and queues jobs; worker processes on the same database
    /// run them (and a cancel there reaches them through the database).</summary>
    public bool RunJobs { get; set; } = true;

    public int MaxQueuedPerUser { get; set; } = 10;

    /// <summary>Whether the administrator's queue view shows other users' prompts (the owner, model, size and steps
    /// are always shown). Off for a studio whose members' prompts are private.</summary>
    public bool AdministratorsSeePrompts { get; set; } = true;

    /// <summary>How far a worker may look past the head of the queue for a job whose model it has loaded: among the
    /// first this many queued jobs it can run, in fair order, it takes the first for a loaded model, else the first.
    /// The bound: a job is overtaken by at most this many minus one jobs for that reason (a job moved to the front
    /// never). 1 turns the preference off.</summary>
    public int ModelAffinityWindow { get; set; } = 4;

    /// <summary>A job interrupted by a crash (or whose worker stopped responding) runs again from the start until it
    /// has been tried this many times.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a claim holds its job without a heartbeat. The worker renews it every third of this; a job
    /// whose lease ran out goes back to the queue. Longer: a dead worker's job waits longer; shorter: a worker stalled
    /// (paused, cut off from the database) loses its job sooner.</summary>
    public double LeaseSeconds { get; set; } = 30;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>How often a worker renews its lease and writes its heartbeat: three renewals fit in one lease.</summary>
    public TimeSpan HeartbeatInterval => Lease / 3;

    /// <summary>Submissions per user in any 60 seconds, exactly, on all web nodes together (counted from the jobs in the database, no burst beyond it); a refusal's
    /// Retry-After is the time until the oldest submission in the window leaves it.</summary>
    public int SubmissionsPerMinute { get; set; } = 30;

    /// <summary>How long a queued job waits for a model that no worker offers (removed from the models folder, or
    /// installed on no worker of the cluster) before it fails with that reason; a worker that offered it within this
    /// time keeps its jobs waiting (<see cref="Queue.UnservedJobs"/>).</summary>
    public double UnservedModelSeconds { get; set; } = 120;

    public TimeSpan UnservedModelTimeout => TimeSpan.FromSeconds(UnservedModelSeconds);

    /// <summary>How often idle workers look at the database for jobs queued by another process.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int EffectiveWorkers => Workers > 0 ? Workers : 1;
}
