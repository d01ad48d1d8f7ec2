namespace WebStudio.Data;

/// <summary>One queued generation with every parameter it runs with, its outcome and its timings.</summary>
public sealed class GenerationJob
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";
    public StudioUser? Owner { get; set; }

    public JobKind Kind { get; set; } = JobKind.Txt2Img;
    public JobStatus Status { get; set; } = JobStatus.Queued;
    public JobSource Source { get; set; } = JobSource.Studio;

    public string Prompt { get; set; } = "";
    public string NegativePrompt { get; set; } = "";
    public string Model { get; set; } = "";
    public string Scheduler { get; set; } = "Euler a";
    public int Steps { get; set; } = 20;
    public float Guidance { get; set; } = 7f;
    public long Seed { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int BatchSize { get; set; } = 1;

    /// <summary>Admin "move to front": higher runs first, ahead of the fairness order. 0 for ordinary jobs.</summary>
    public long Priority { get; set; }

    /// <summary>The fair queue's round ("virtual time") given at submission: each user's n-th queued job gets a later
    /// round than their (n-1)-th, and a new user's first job the round being served now. Queued jobs run by
    /// priority, then round, then age.</summary>
    public long Round { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Times the job was claimed by a worker; a job interrupted by a crash is retried up to a limit.</summary>
    public int Attempts { get; set; }

    /// <summary>The worker instance that claimed the job (diagnostics, and proof that one job ran once).</summary>
    public string? WorkerId { get; set; }

    /// <summary>Until when the claim holds the job: its worker's heartbeat moves it on; once past, any worker puts the
    /// job back in the queue (or fails it after the last attempt). Null while the job is not running.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The fencing token: the claim's generation, one more on every claim of this job. A worker writes the
    /// job's outcome and images only while the token is still the one it claimed with, so a run whose lease was lost
    /// and whose job was claimed again cannot store a second result.</summary>
    public long ClaimToken { get; set; }

    /// <summary>Average wall time of one denoising step of the last run, in milliseconds.</summary>
    public double? AverageStepMs { get; set; }

    /// <summary>Wall time of the last run (text encoding, denoising and decoding), in milliseconds.</summary>
    public double? TotalMs { get; set; }

    /// <summary>The part of <see cref="TotalMs"/> the run waited for its model to load, in milliseconds; null when the
    /// model was loaded already (or the job needs none). The queue charges it to a model no worker holds.</summary>
    public double? LoadMs { get; set; }

    /// <summary>A text-to-image job's hires fix (its second pass): how many times it enlarges the first pass's size, and
    /// the steps it denoises; null for a job without one. The queue's ETAs count its work, and its runs are left out of
    /// the rates measured for plain jobs.</summary>
    public int? HiresFactor { get; set; }

    public int? HiresSteps { get; set; }

    /// <summary>The steps its progress counts: the first pass's, then a hires fix's for each image.</summary>
    public int ProgressSteps => ProgressStepsOf(Steps, BatchSize, HiresSteps);

    /// <summary><see cref="ProgressSteps"/> of a job read in part.</summary>
    public static int ProgressStepsOf(int steps, int images, int? hiresSteps) => steps + (hiresSteps ?? 0) * images;

    public string? FailureReason { get; set; }

    /// <summary>When its owner deleted it from History; null while it is kept. A deleted job and its images are hidden
    /// everywhere at once (a query filter) and can be restored until the undo window ends; then the maintenance sweep
    /// removes the rows and files.</summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>The job's whole specification as versioned JSON (the studio's JobSpec); the columns above repeat what
    /// history and the queue query.</summary>
    public string Spec { get; set; } = "";

    /// <summary>The schema version <see cref="Spec"/> was written with.</summary>
    public int SpecVersion { get; set; }

    public List<GeneratedImage> Images { get; set; } = [];
}
