using WebStudio.Data;
using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Queue;

public enum SubmitRefusal
{
    None,
    Invalid,
    QueueFull,
    RateLimited,

    /// <summary>The user's role does not allow this job (or any).</summary>
    Forbidden,

    /// <summary>A daily quota (images, GPU time) is used up; RetryAfter is when it resets.</summary>
    QuotaExceeded,
}

/// <summary>The queued job (the first, of several), or why it was refused (problems in words a user understands).</summary>
public sealed record SubmitOutcome(GenerationJob? Job, SubmitRefusal Refusal, IReadOnlyList<FieldProblem> Problems, TimeSpan? RetryAfter = null)
{
    /// <summary>When to try again after a full queue (a job on the built-in model takes seconds).</summary>
    public static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>Every job queued: <see cref="Job"/> alone, or the jobs of a submission of several, in order.</summary>
    public IReadOnlyList<GenerationJob> Jobs { get; init; } = Job is null ? [] : [Job];

    public static SubmitOutcome Accepted(GenerationJob job) => new(job, SubmitRefusal.None, []);

    public static SubmitOutcome Accepted(IReadOnlyList<GenerationJob> jobs) => new(jobs[0], SubmitRefusal.None, []) { Jobs = jobs };
}

public enum CancelOutcome
{
    NotFound,
    Canceled,
    Stopping,
    AlreadyFinished,
}
