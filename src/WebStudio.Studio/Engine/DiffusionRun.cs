using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Engine;

/// <summary>
/// One run of the diffusion engine: a spec of a diffusion kind, the size it makes, and for an edit the pixels it
/// starts from, prepared at submission (fitted, extended or upscaled) and kept by the job input store. The caller
/// owns the images.
/// </summary>
public sealed record DiffusionRun(JobSpec.Diffusion Spec, int Width, int Height, Image<Rgb24>? InitImage = null, Image<L8>? Mask = null)
{
    public string Model => Spec.Model;
    public int Steps => Spec.Steps;
    public long Seed => Spec.Seed;
    public int BatchSize => Spec.BatchSize;
}
