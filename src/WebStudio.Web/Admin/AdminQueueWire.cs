using WebStudio.Data;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Admin;

/// <summary>One job in the administrator's queue (GET /api/admin/queue). Status is the name /api/jobs uses;
/// position is null unless the job waits in the queue; the prompt is null where the studio keeps prompts private.</summary>
public sealed record AdminQueueJob(
    Guid Id, string? Owner, string Model, int Width, int Height, int BatchSize, int Steps, string Status, int? Position,
    int Step, double? EtaSeconds, bool Front, string? Prompt);

/// <summary>The queue's pause, when set.</summary>
public sealed record AdminQueuePause(DateTime At, string By, string Reason);

/// <summary>The administrator's queue on the wire: counts, the pause, and every queued, held and running job.</summary>
public sealed record AdminQueueWire(int Queued, int Running, int Held, AdminQueuePause? Paused, IReadOnlyList<AdminQueueJob> Jobs)
{
    public static AdminQueueWire From(QueueView view) => new(
        view.Queued, view.Running, view.Held,
        view.Paused is { } p ? new AdminQueuePause(p.At, p.By, p.Reason) : null,
        [.. view.Entries.Select(e => new AdminQueueJob(
            e.JobId, e.OwnerName, e.Model, e.Width, e.Height, e.BatchSize, e.TotalSteps, e.Status.ToString(),
            e.Status == JobStatus.Queued ? e.Position : null, e.Step,
            view.EtaOf(e) is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
            e.Priority > 0, e.Prompt))]);
}
