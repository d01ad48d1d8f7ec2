namespace WebStudio.Data;

/// <summary>
/// The queue is paused while this one row exists (an administrator's pause, for example before a model change): no
/// worker claims a job, running jobs finish, and submissions are still taken. Resuming deletes the row. A row, not a
/// setting in memory, so that every web node and worker process sees it and a restart keeps it.
/// </summary>
public sealed class QueuePause
{
    /// <summary>The one row's key.</summary>
    public const int Single = 1;

    public int Id { get; set; } = Single;

    public DateTime PausedAt { get; set; }

    /// <summary>The administrator's name, as the audit log keeps it.</summary>
    public string PausedBy { get; set; } = "";

    public string Reason { get; set; } = "";
}
