using WebStudio.Data;
using WebStudio.Web.Engine;

namespace WebStudio.Web.Queue;

public enum SubmitRefusal
{
    None,
    Invalid,
    QueueFull,
    RateLimited,
}

/// <summary>The queued job, or why it was refused (problems in words a user understands).</summary>
public sealed record SubmitOutcome(GenerationJob? Job, SubmitRefusal Refusal, IReadOnlyList<FieldProblem> Problems, TimeSpan? RetryAfter = null)
{
    public static SubmitOutcome Accepted(GenerationJob job) => new(job, SubmitRefusal.None, []);
}

public enum CancelOutcome
{
    NotFound,
    Canceled,
    Stopping,
    AlreadyFinished,
}
