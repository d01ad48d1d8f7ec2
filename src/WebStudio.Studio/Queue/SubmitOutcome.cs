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

/// <summary>The queued job, or why it was refused (problems in words a user understands).</summary>
public sealed record SubmitOutcome(GenerationJob? Job, SubmitRefusal Refusal, IReadOnlyList<FieldProblem> Problems, TimeSpan? RetryAfter = null)
{
    /// <summary>When to try again after a full queue (a job on the built-in model takes seconds).</summary>
    public static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(10);

    public static SubmitOutcome Accepted(GenerationJob job) => new(job, SubmitRefusal.None, []);
}

public enum CancelOutcome
{
    NotFound,
    Canceled,
    Stopping,
    AlreadyFinished,
}
