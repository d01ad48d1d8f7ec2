using WebStudio.Studio.Jobs;
using WebStudio.Data;

namespace WebStudio.Studio.History;

/// <summary>What the history page asks for; every field is optional. Dates are days of <see cref="Zone"/>, both ends
/// included.</summary>
public sealed record HistoryFilter
{
    public string? Search { get; init; }
    public string? Model { get; init; }
    public string? Scheduler { get; init; }
    public JobStatus? Status { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    /// <summary>The time zone whose days <see cref="From"/> and <see cref="To"/> are: UTC for the API, the viewer's on
    /// the page, which shows times on the viewer's clock.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;
}

/// <summary>One generation in the history, with its images (in batch order).</summary>
public sealed record HistoryItem(
    Guid JobId, string Status, string Prompt, string NegativePrompt, string Model, string Scheduler, int Steps, float Guidance,
    long Seed, int Width, int Height, int BatchSize, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt,
    double? AverageStepMs, double? TotalMs, string? FailureReason, IReadOnlyList<HistoryImage> Images)
{
    /// <summary>Its size as <see cref="Storage.ImageResolution"/> words it (native size and any upscale).</summary>
    public string Resolution { get; init; } = $"{Width}×{Height}";

    /// <summary>The part of <see cref="TotalMs"/> spent loading the model; null when it was loaded already.</summary>
    public double? LoadMs { get; init; }

    /// <summary>How far its images depart from <see cref="Seed"/>'s picture (A1111's variation strength); 0 for none.</summary>
    public float VariationStrength { get; init; }
}

public sealed record HistoryImage(Guid Id, int Index, long Seed, int Width, int Height)
{
    public string Url => $"/api/images/{Id}";
    public string ThumbnailUrl => $"/api/images/{Id}/thumb";

    /// <summary>Its own variation seed in a varied batch, or null.</summary>
    public long? VariationSeed { get; init; }

    /// <summary>What its PNG's "parameters" chunk says: the text "Copy parameters" gives, and the PNG import reads;
    /// null where the job's spec could not be read.</summary>
    public string? Parameters { get; init; }

    /// <summary>Its size as <see cref="Storage.ImageResolution"/> words it (native size and any upscale).</summary>
    public string Resolution { get; init; } = $"{Width}×{Height}";
}

/// <summary>A page of history, newest first; <see cref="NextCursor"/> continues after its last item (null at the end).</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryItem> Items, string? NextCursor);

/// <summary>Values the filters offer: the user's own models and schedulers.</summary>
public sealed record HistoryFacets(IReadOnlyList<string> Models, IReadOnlyList<string> Schedulers);
