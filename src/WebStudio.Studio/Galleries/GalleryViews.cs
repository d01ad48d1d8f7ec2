namespace WebStudio.Studio.Galleries;

/// <summary>A gallery as its owner's list shows it; the cover falls back to the first image.</summary>
public sealed record GallerySummary(Guid Id, string Name, string Description, int Position, Guid? CoverImageId, int ImageCount, DateTime UpdatedAt)
{
    /// <summary>Refine threads placed in the gallery.</summary>
    public int ThreadCount { get; init; }
}

/// <summary>A gallery with its images in order.</summary>
public sealed record GalleryDetails(Guid Id, string Name, string Description, Guid? CoverImageId, IReadOnlyList<GalleryImage> Images)
{
    /// <summary>Its Refine threads in order, each with its finished turns.</summary>
    public IReadOnlyList<GalleryThreadView> Threads { get; init; } = [];
}

/// <summary>A Refine thread in a gallery: the History image it started from (if any), then its finished turns in the
/// order they were made (a branch names the turn it went back to).</summary>
public sealed record GalleryThreadView(Guid ThreadId, string Title, int Position, GalleryThreadStart? Start, IReadOnlyList<GalleryTurn> Turns);

/// <summary>The History image a thread's first turn edited.</summary>
public sealed record GalleryThreadStart(Guid ImageId, int Width, int Height);

/// <summary>A finished turn of a thread in a gallery: the instruction (or first prompt) and its result.</summary>
public sealed record GalleryTurn(
    int Number, int? ParentNumber, string Instruction, Guid ImageId, int Width, int Height, long Seed, string Model, string Scheduler,
    int Steps, float TextGuidance, float? ImageGuidance)
{
    /// <summary>The turn's automatic-mask threshold, null where it could redraw the whole picture.</summary>
    public float? AutoMask { get; init; }
}

/// <summary>An image of a gallery with the prompt and settings it was made with.</summary>
public sealed record GalleryImage(
    Guid ImageId, Guid JobId, int Position, long Seed, int Width, int Height, string Prompt, string NegativePrompt,
    string Model, string Scheduler, int Steps, float Guidance, string FileName, DateTime CreatedAt)
{
    /// <summary>Its size as <see cref="Storage.ImageResolution"/> words it (native size and any upscale).</summary>
    public string Resolution { get; init; } = $"{Width}×{Height}";

    /// <summary>What its PNG's "parameters" chunk says (a varied image's own variation seed included); null where its
    /// job's spec cannot be read.</summary>
    public string? Parameters { get; init; }
}

/// <summary>What happened to an add-to-gallery request.</summary>
public enum AddImageOutcome
{
    Added,
    AlreadyThere,
    NotFound,
}
