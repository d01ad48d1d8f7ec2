namespace WebStudio.Studio.Queue;

/// <summary>What the queue page and its ETAs need to know of a queued job.</summary>
public sealed record QueuedJobInfo(Guid Id, string OwnerId, DateTime CreatedAt, long Priority, int Steps, int BatchSize, string Model, int Width, int Height,
    string Scheduler, int? HiresFactor = null, int? HiresSteps = null);
