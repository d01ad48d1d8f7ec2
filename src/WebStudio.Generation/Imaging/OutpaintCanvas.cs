using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// An extended canvas ready for inpainting: <see cref="Image"/> holds the original at <see cref="OriginalOffset"/>
/// with a plausible fill around it, and <see cref="Mask"/> is 255 over the area to paint and 0 elsewhere.
/// </summary>
public sealed class OutpaintCanvas : IDisposable
{
    public OutpaintCanvas(Image<Rgb24> image, Image<L8> mask, Point originalOffset)
    {
        Image = image;
        Mask = mask;
        OriginalOffset = originalOffset;
    }

    public Image<Rgb24> Image { get; }

    public Image<L8> Mask { get; }

    /// <summary>Where the original image's top-left pixel now sits.</summary>
    public Point OriginalOffset { get; }

    public void Deconstruct(out Image<Rgb24> image, out Image<L8> mask)
    {
        image = Image;
        mask = Mask;
    }

    public void Dispose()
    {
        Image.Dispose();
        Mask.Dispose();
    }
}
