using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Pipelines;

/// <summary>One finished image and the seed that made it.</summary>
public sealed record GeneratedImage(Image<Rgb24> Image, long Seed);

/// <summary>Where the time of one run went. OrtRun is the sum of every ONNX Runtime Run call.</summary>
public sealed record GenerationTimings(
    TimeSpan Total,
    TimeSpan TextEncoding,
    TimeSpan Denoising,
    TimeSpan VaeDecoding,
    TimeSpan OrtRun,
    int Steps);

/// <summary>The images of a run (owned by the caller, who disposes them) and its timings.</summary>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, GenerationTimings Timings) : IDisposable
{
    public void Dispose()
    {
        foreach (var image in Images)
        {
            image.Image.Dispose();
        }
    }
}
