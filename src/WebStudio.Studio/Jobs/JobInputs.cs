using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Studio.Jobs;

/// <summary>
/// The pixels an edit runs on, prepared at submission (the fitted source, the outpainting canvas and its mask, the
/// hires fix's upscale), and the size of what the job makes. Kept by the job input store until the job ends.
/// </summary>
public sealed record JobInputs(Image<Rgb24> Image, Image<L8>? Mask, int Width, int Height) : IDisposable
{
    public void Dispose()
    {
        Image.Dispose();
        Mask?.Dispose();
    }
}
