using System.Globalization;
using WebStudio.Data;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Storage;

/// <summary>
/// An image's honest resolution: the size the model made it at, and the upscale (if any) that took it to its
/// final size, so that an upscaled image is never presented as if it had been generated at that size. The one
/// formatter for every place that shows an image's size (History, share pages, the job panel, the lightbox).
/// </summary>
/// <param name="Upscaler">"Lanczos" or an ONNX upscaler's name; null when the image was not upscaled.</param>
/// <param name="HiresStrength">The denoising strength of a hires fix (upscaled, then redrawn); null otherwise.</param>
public sealed record ImageResolution(int NativeWidth, int NativeHeight, int Width, int Height, double Scale = 1, string? Upscaler = null, float? HiresStrength = null)
{
    public const string Lanczos = "Lanczos";

    public bool Upscaled => Upscaler is not null;

    /// <summary>The resolution of an image of <paramref name="job"/> that is <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static ImageResolution For(GenerationJob job, int width, int height) =>
        job.Kind is JobKind.HiresFix or JobKind.Upscale ? For(JobSpecJson.Read(job), job.Width, width, height) : new(width, height, width, height);

    /// <param name="jobWidth">The job row's width: for an ONNX upscaler, the source's (its scale is its own).</param>
    public static ImageResolution For(JobSpec spec, int jobWidth, int width, int height)
    {
        switch (spec)
        {
            case JobSpec.Upscale { Upscaler: null } lanczos:
                return new(width / lanczos.Factor, height / lanczos.Factor, width, height, lanczos.Factor, Lanczos);
            case JobSpec.Upscale onnx:
                var scale = (double)width / Math.Max(1, jobWidth);
                return new((int)Math.Round(width / scale), (int)Math.Round(height / scale), width, height, scale, onnx.Upscaler);
            case JobSpec.HiresFix hires:
                return new(width / hires.Factor, height / hires.Factor, width, height, hires.Factor, Lanczos, hires.Strength);
            default:
                return new(width, height, width, height);
        }
    }

    /// <summary>"native 128×128", "native 128×128 · upscaled 4× Lanczos → 512×512", or
    /// "native 128×128 · hires fix 2× Lanczos, strength 0.35 → 256×256".</summary>
    public override string ToString() => Upscaler switch
    {
        null => Invariant($"native {NativeWidth}×{NativeHeight}"),
        _ when HiresStrength is { } strength => Invariant($"native {NativeWidth}×{NativeHeight} · hires fix {Scale:0.##}× {Upscaler}, strength {strength:0.##} → {Width}×{Height}"),
        _ => Invariant($"native {NativeWidth}×{NativeHeight} · upscaled {Scale:0.##}× {Upscaler} → {Width}×{Height}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
