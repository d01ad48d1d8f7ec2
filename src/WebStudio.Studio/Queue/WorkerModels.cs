namespace WebStudio.Studio.Queue;

/// <summary>One queued job at the head of the claim, as the claim reads it.</summary>
public sealed record ClaimCandidate(Guid Id, string OwnerId, string Model, long Round, long Priority);

/// <summary>
/// What a claiming worker can run (<see cref="CanRun"/>; null: any model) and has loaded (<see cref="Loaded"/>). The
/// claim reads the first <c>Queue:ModelAffinityWindow</c> jobs it can run in fair order and takes the first whose
/// model is loaded, else the first: a job is overtaken by at most window − 1 others for the sake of a loaded model.
/// </summary>
public sealed record WorkerModels(IReadOnlyCollection<string>? CanRun, IReadOnlyCollection<string> Loaded)
{
    /// <summary>A worker that runs any model and prefers none: the claim takes the head of the queue.</summary>
    public static WorkerModels Any { get; } = new(null, []);

    /// <summary>The job to take from <paramref name="head"/> (fair order, only jobs this worker can run).
    /// A job an administrator moved to the front is never overtaken.</summary>
    public ClaimCandidate Choose(IReadOnlyList<ClaimCandidate> head) => head[0].Priority > 0 ? head[0]
        : head.FirstOrDefault(j => j.Priority == 0 && IsLoaded(j)) ?? head[0];

    /// <summary>Whether <paramref name="job"/>'s model is loaded by this worker.</summary>
    public bool IsLoaded(ClaimCandidate job) => Loaded.Contains(job.Model, StringComparer.Ordinal);
}
