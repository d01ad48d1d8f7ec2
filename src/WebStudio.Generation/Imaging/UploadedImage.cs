using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// A decoded upload, upright. <see cref="Image"/> has any transparency flattened onto white; <see cref="Alpha"/>
/// keeps the alpha channel (255 = opaque) when the file had any pixel that is not fully opaque, else null.
/// </summary>
public sealed class UploadedImage : IDisposable
{
    public UploadedImage(Image<Rgb24> image, Image<L8>? alpha, string format)
    {
        Image = image;
        Alpha = alpha;
        Format = format;
    }

    public Image<Rgb24> Image { get; }

    public Image<L8>? Alpha { get; }

    /// <summary>"PNG", "JPEG" or "WEBP", as detected from the content.</summary>
    public string Format { get; }

    public int Width => Image.Width;

    public int Height => Image.Height;

    public void Dispose()
    {
        Image.Dispose();
        Alpha?.Dispose();
    }
}
