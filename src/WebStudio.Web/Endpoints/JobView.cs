using WebStudio.Data;

namespace WebStudio.Web.Endpoints;

/// <summary>A job as the HTTP API returns it to its owner (or the administrator). A queued job's
/// <see cref="Position"/> (1 = next) and a waiting or running job's <see cref="EtaSeconds"/>, the estimated seconds until
/// it ends, are those the queue page shows; null where none can be told (a held job, a paused queue, a model that no live worker offers, an ended job).</summary>
public sealed record JobView(
    Guid Id, string Status, string Prompt, string NegativePrompt, string Model, string Scheduler, int Steps, float Guidance,
    long Seed, int Width, int Height, int BatchSize, int Step, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt,
    int Attempts, double? AverageStepMs, string? FailureReason, IReadOnlyList<ImageView> Images)
{
    public int? Position { get; init; }

    public double? EtaSeconds { get; init; }

    public static JobView From(GenerationJob job, int step) => new(
        job.Id, job.Status.ToString(), job.Prompt, job.NegativePrompt, job.Model, job.Scheduler, job.Steps, job.Guidance,
        job.Seed, job.Width, job.Height, job.BatchSize, step, job.CreatedAt, job.StartedAt, job.FinishedAt,
        job.Attempts, job.AverageStepMs, job.FailureReason,
        job.Images.OrderBy(i => i.Index).Select(i => new ImageView(i.Id, i.Seed, i.Width, i.Height, $"/api/images/{i.Id}")).ToList());
}

public sealed record ImageView(Guid Id, long Seed, int Width, int Height, string Url);
