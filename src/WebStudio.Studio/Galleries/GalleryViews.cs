namespace WebStudio.Studio.Galleries;

/// <summary>A gallery as its owner's list shows it; the cover falls back to the first image.</summary>
public sealed record GallerySummary(Guid Id, string Name, string Description, int Position, Guid? CoverImageId, int ImageCount, DateTime UpdatedAt);

/// <summary>A gallery with its images in order.</summary>
public sealed record GalleryDetails(Guid Id, string Name, string Description, Guid? CoverImageId, IReadOnlyList<GalleryImage> Images);

/// <summary>An image of a gallery with the prompt and settings it was made with.</summary>
public sealed record GalleryImage(
    Guid ImageId, Guid JobId, int Position, long Seed, int Width, int Height, string Prompt, string NegativePrompt,
    string Model, string Scheduler, int Steps, float Guidance, string FileName, DateTime CreatedAt)
{
    /// <summary>Its size as <see cref="Storage.ImageResolution"/> words it (native size and any upscale).</summary>
    public string Resolution { get; init; } = $"{Width}×{Height}";
}

/// <summary>What happened to an add-to-gallery request.</summary>
public enum AddImageOutcome
{
    Added,
    AlreadyThere,
    NotFound,
}

/// <summary>A rejected gallery field: which one, and why, in words for the user.</summary>
public sealed class GalleryValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
