using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Execution;

/// <summary>
/// Runs upscale jobs in the queue worker, without the diffusion pipeline: Lanczos at 2× or 4×, or tiled inference
/// of an ONNX super-resolution model from models/upscalers. It reports one step, whose preview is the result.
/// </summary>
public sealed class UpscaleRunner(UpscalerCatalog catalog, ComputeThreads compute, IOptions<GenerationOptions> options, ILogger<UpscaleRunner> logger) : IJobExecutor
{
    private const int PreviewSide = 128;

    public async Task<IReadOnlyList<EngineImage>> RunAsync(JobSpec spec, JobInputs? inputs, int width, int height,
        Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        var upscale = (JobSpec.Upscale)spec;
        var source = inputs?.Image ?? throw new InvalidOperationException("The upscale job's source image is missing.");
        var result = await Task.Run(() => Upscale(source, upscale.Upscaler, upscale.Factor, cancellationToken), cancellationToken);
        try
        {
            if (!onStep(new EngineStep(0, 1, () => Preview(result))))
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return [new EngineImage(result, spec.Seed)];
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private Image<Rgb24> Upscale(Image<Rgb24> source, string? upscaler, int factor, CancellationToken cancellationToken)
    {
        if (upscaler is null)
        {
            return Upscaler.Lanczos(source, factor);
        }

        var settings = options.Value;
        var load = settings.LoadOptions() with { Compute = compute };
        using var model = OnnxSuperResolution.Load(catalog.Find(upscaler).Path, load, logger);
        return model.Upscale(source, cancellationToken);
    }

    private static PreviewPixels Preview(Image<Rgb24> result)
    {
        var scale = Math.Min(1.0, (double)PreviewSide / Math.Max(result.Width, result.Height));
        using var small = result.Clone(c => c.Resize(Math.Max(1, (int)(result.Width * scale)), Math.Max(1, (int)(result.Height * scale))));
        var rgb = new byte[small.Width * small.Height * 3];
        small.CopyPixelDataTo(rgb);
        return new PreviewPixels(rgb, small.Width, small.Height);
    }
}
