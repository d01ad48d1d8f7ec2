using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace WebStudio.Generation.Imaging;

/// <summary>Plain resampling upscales, always available (no model needed).</summary>
public static class Upscaler
{
    public static readonly IReadOnlyList<int> LanczosFactors = [2, 4];

    /// <summary>Largest side an upscale may produce (an 8192² RGB image is about 200 MB).</summary>
    public const int MaxOutputSide = 8192;

    /// <summary>A new image <paramref name="factor"/> times larger, resampled with Lanczos-3.</summary>
    public static Image<Rgb24> Lanczos(Image<Rgb24> image, int factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!LanczosFactors.Contains(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The Lanczos upscale factor must be 2 or 4.");
        }

        CheckOutputSize(image.Width, image.Height, factor);
        return image.Clone(c => c.Resize(image.Width * factor, image.Height * factor, KnownResamplers.Lanczos3));
    }

    internal static void CheckOutputSize(int width, int height, int factor)
    {
        if ((long)width * factor > MaxOutputSide || (long)height * factor > MaxOutputSide)
        {
            throw new ArgumentException(
                $"Upscaling {width}×{height} by {factor} would give {(long)width * factor}×{(long)height * factor} pixels; " +
                $"at most {MaxOutputSide} per side is allowed.", nameof(width));
        }
    }
}
