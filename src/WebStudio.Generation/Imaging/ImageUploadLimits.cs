namespace WebStudio.Generation.Imaging;

/// <summary>What an upload may be. Pixel limits apply to the image as displayed, after EXIF orientation.</summary>
public sealed record ImageUploadLimits
{
    public static readonly ImageUploadLimits Default = new();

    public long MaxBytes { get; init; } = 20L * 1024 * 1024;

    public int MaxWidth { get; init; } = 4096;

    public int MaxHeight { get; init; } = 4096;
}
