using System.Globalization;
using WebStudio.Data;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Storage;

/// <summary>
/// The text AUTOMATIC1111's web UI writes into a PNG's "parameters" chunk, in its exact layout: the prompt, a
/// "Negative prompt:" line (left out when empty, as A1111 does), then one line of "Key: value" pairs.
/// </summary>
public static class A1111Parameters
{
    public const string ChunkKeyword = "parameters";

    /// <summary>The CFG rescale's key, as A1111's sd-webui-cfg-rescale extension names it.</summary>
    public const string RescaleKey = "CFG Rescale phi";

    /// <summary>The text for one image of a stored job, from its spec.</summary>
    public static string Format(GenerationJob job, long seed, int width, int height, int index = 0) =>
        Format(job, JobSpecJson.Read(job), seed, width, height, index);

    /// <summary>The text for one image of a stored job, or null where its spec cannot be read (a newer studio wrote
    /// it): pages that list many jobs then show what the job's columns hold.</summary>
    public static string? TryFormat(GenerationJob job, long seed, int width, int height, int index) =>
        JobSpecJson.TryRead(job) is { } spec ? Format(job, spec, seed, width, height, index) : null;

    /// <param name="job">The stored row: its source size is an ONNX upscale's reference.</param>
    /// <param name="index">The image's place in its batch: a varied batch's images differ in their variation seeds.</param>
    public static string Format(GenerationJob job, JobSpec spec, long seed, int width, int height, int index = 0)
    {
        // Upscales are no generation: A1111's extras tab writes only its postprocessing keys. An ONNX upscaler's job
        // keeps the source size, so its scale is the result's width over that.
        if (spec is JobSpec.Upscale upscale)
        {
            // The native size (what the model made) follows, so that the upscale is never taken for the model's size.
            var resolution = ImageResolution.For(spec, job.Width, width, height);
            return string.Create(CultureInfo.InvariantCulture,
                $"Postprocess upscale by: {resolution.Scale:0.###}, Postprocess upscaler: {resolution.Upscaler}, Native size: {resolution.NativeWidth}x{resolution.NativeHeight}");
        }

        var diffusion = (JobSpec.Diffusion)spec;
        var lines = new List<string> { diffusion.Prompt };
        if (!string.IsNullOrEmpty(diffusion.NegativePrompt))
        {
            lines.Add("Negative prompt: " + diffusion.NegativePrompt);
        }

        // A1111 gives a hires-fixed image the size of its first pass, and the enlargement apart.
        var enlarged = (spec as JobSpec.Txt2Img)?.Hires;
        var (sizeWidth, sizeHeight) = enlarged is null ? (width, height) : (width / enlarged.Factor, height / enlarged.Factor);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Steps: {diffusion.Steps}, Sampler: {diffusion.Scheduler}, CFG scale: {diffusion.Guidance:0.###}, Seed: {seed}, Size: {sizeWidth}x{sizeHeight}, Model: {diffusion.Model}"));

        // img2img, inpainting and outpainting: A1111 appends the strength and the mask settings after the model.
        lines[^1] += spec switch
        {
            // A1111's variation and refiner fields.
            JobSpec.Txt2Img txt2img => Variation(txt2img, index) + Refiner(txt2img) + Hires(txt2img),
            JobSpec.Inpaint { OnlyMasked: true } inpaint => string.Create(CultureInfo.InvariantCulture,
                $", Denoising strength: {inpaint.Strength:0.###}, Mask blur: {inpaint.MaskBlur}, Inpaint area: Only masked, Masked area padding: {inpaint.OnlyMaskedPadding ?? GenerationRequest.DefaultOnlyMaskedPadding(width, height)}"),
            JobSpec.Inpaint inpaint => string.Create(CultureInfo.InvariantCulture, $", Denoising strength: {inpaint.Strength:0.###}, Mask blur: {inpaint.MaskBlur}"),
            JobSpec.Outpaint outpaint => string.Create(CultureInfo.InvariantCulture, $", Denoising strength: {outpaint.Denoise:0.###}, Mask blur: {outpaint.MaskBlur}"),
            // A hires fix as A1111 writes it (Hires upscale, Hires upscaler), with the size the model made the source at.
            JobSpec.HiresFix hires => string.Create(CultureInfo.InvariantCulture,
                $", Denoising strength: {hires.Strength:0.###}, Hires upscale: {hires.Factor}, Hires upscaler: {ImageResolution.Lanczos}, Native size: {Native(hires, width, height)}"),
            // An instruction edit as A1111's InstructPix2Pix extension writes it: the prompt line is the instruction.
            JobSpec.InstructEdit edit => string.Create(CultureInfo.InvariantCulture,
                $", Image CFG scale: {edit.ImageGuidance:0.###}{(edit.AutoMask is { } autoMask ? $", Auto mask: {autoMask:0.###}" : "")}"),
            _ => string.Create(CultureInfo.InvariantCulture, $", Denoising strength: {diffusion.Denoise:0.###}"),
        };

        // As A1111's CFG rescale extension writes it.
        if (diffusion.GuidanceRescale > 0f)
        {
            lines[^1] += string.Create(CultureInfo.InvariantCulture, $", {RescaleKey}: {diffusion.GuidanceRescale:0.###}");
        }

        return string.Join('\n', lines);
    }

    // A1111's variation fields, with this image's own variation seed.
    private static string Variation(JobSpec.Txt2Img txt2img, int index) => txt2img.VariationSeedOf(index) is { } variation
        ? string.Create(CultureInfo.InvariantCulture, $", Variation seed: {variation}, Variation seed strength: {txt2img.VariationStrength:0.###}")
        : "";

    // A1111's refiner fields.
    private static string Refiner(JobSpec.Txt2Img txt2img) => txt2img.Refiner is { } refiner
        ? string.Create(CultureInfo.InvariantCulture, $", Refiner: {refiner}, Refiner switch at: {txt2img.RefinerSwitchAt:0.###}")
        : "";

    // A1111's hires fix fields, in its order ("Hires steps" only where they are not the first pass's).
    private static string Hires(JobSpec.Txt2Img txt2img) => txt2img.Hires is { } hires
        ? string.Create(CultureInfo.InvariantCulture,
            $", Denoising strength: {hires.Strength:0.###}, Hires upscale: {hires.Factor}{(hires.Steps > 0 ? $", Hires steps: {hires.Steps}" : "")}, Hires upscaler: {ImageResolution.Lanczos}")
        : "";

    // The first image's size, before every upscale of the chain (an upscaled source's included).
    private static string Native(JobSpec.HiresFix hires, int width, int height)
    {
        var resolution = ImageResolution.For(hires, width, width, height);
        return string.Create(CultureInfo.InvariantCulture, $"{resolution.NativeWidth}x{resolution.NativeHeight}");
    }
}
