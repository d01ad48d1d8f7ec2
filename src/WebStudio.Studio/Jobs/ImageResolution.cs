using System.Globalization;
using System.Text.Json.Serialization;
using WebStudio.Data;

namespace WebStudio.Studio.Jobs;

/// <summary>
/// An image's honest resolution: the size the model made it at, and the upscale (if any) that took it to its
/// final size, so that an upscaled image is never presented as if it had been generated at that size. The one
/// formatter for every place that shows an image's size (History, share pages, the job panel, the lightbox).
/// </summary>
/// <param name="Upscaler">"Lanczos" or an ONNX upscaler's name; null when the image was not upscaled.</param>
/// <param name="HiresStrength">The denoising strength of a hires fix (upscaled, then redrawn); null otherwise.</param>
/// <remarks>An upscale of an image that was itself upscaled keeps the whole chain (<see cref="From"/>): its native size
/// is the first image's, never the size it started from. Stored in the spec of such a job (JobSpec.Upscale and
/// JobSpec.HiresFix's SourceResolution), so showing it needs no walk through the sources.</remarks>
public sealed record ImageResolution(int NativeWidth, int NativeHeight, int Width, int Height, double Scale = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Upscaler = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? HiresStrength = null)
{
    public const string Lanczos = "Lanczos";

    [JsonIgnore]
    public bool Upscaled => Upscaler is not null;

    /// <summary>The resolution of the upscaled image this one was upscaled from; null when it started from a native
    /// image (or an upload).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageResolution? From { get; init; }

    /// <summary>The resolution of an image of <paramref name="job"/> that is <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static ImageResolution For(GenerationJob job, int width, int height) =>
        job.Kind is JobKind.HiresFix or JobKind.Upscale || job.HiresFactor is not null
            ? For(JobSpecJson.Read(job), job.Width, width, height)
            : new(width, height, width, height);

    /// <param name="jobWidth">The job row's width: for an ONNX upscaler, the source's (its scale is its own).</param>
    public static ImageResolution For(JobSpec spec, int jobWidth, int width, int height)
    {
        switch (spec)
        {
            case JobSpec.Upscale { Upscaler: null } lanczos:
                return After(lanczos.SourceResolution, new(width / lanczos.Factor, height / lanczos.Factor, width, height, lanczos.Factor, Lanczos));
            case JobSpec.Upscale onnx:
                var scale = (double)width / Math.Max(1, jobWidth);
                return After(onnx.SourceResolution, new((int)Math.Round(width / scale), (int)Math.Round(height / scale), width, height, scale, onnx.Upscaler));
            case JobSpec.HiresFix hires:
                return After(hires.SourceResolution, new(width / hires.Factor, height / hires.Factor, width, height, hires.Factor, Lanczos, hires.Strength));
            case JobSpec.Txt2Img { Hires: { } pass }:
                return new(width / pass.Factor, height / pass.Factor, width, height, pass.Factor, Lanczos, pass.Strength);
            default:
                return new(width, height, width, height);
        }
    }

    /// <summary>One more upscale after <paramref name="source"/>'s: the native size stays the first image's.</summary>
    private static ImageResolution After(ImageResolution? source, ImageResolution step) => source is null
        ? step
        : step with { NativeWidth = source.NativeWidth, NativeHeight = source.NativeHeight, From = source };

    /// <summary>"native 128×128", "native 128×128 · upscaled 4× Lanczos → 512×512",
    /// "native 128×128 · hires fix 2× Lanczos, strength 0.35 → 256×256", or a chain:
    /// "native 128×128 · upscaled 4× Lanczos → 512×512 · upscaled 2× Lanczos → 1024×1024".</summary>
    public override string ToString()
    {
        var before = From?.ToString() ?? Invariant($"native {NativeWidth}×{NativeHeight}");
        return Upscaler switch
        {
            null => before,
            _ when HiresStrength is { } strength => before + Invariant($" · hires fix {Scale:0.##}× {Upscaler}, strength {strength:0.##} → {Width}×{Height}"),
            _ => before + Invariant($" · upscaled {Scale:0.##}× {Upscaler} → {Width}×{Height}"),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
