using System.Globalization;
using WebStudio.Data;

namespace WebStudio.Studio.Storage;

/// <summary>
/// The text AUTOMATIC1111's web UI writes into a PNG's "parameters" chunk, in its exact layout: the prompt, a
/// "Negative prompt:" line (left out when empty, as A1111 does), then one line of "Key: value" pairs.
/// </summary>
public static class A1111Parameters
{
    public const string ChunkKeyword = "parameters";

    public static string Format(GenerationJob job, long seed, int width, int height)
    {
        // Upscales (Editing) are no generation: A1111's extras tab writes only its postprocessing keys. An ONNX
        // upscaler's job keeps the source size, so its scale is the result's width over that.
        if (job.Edit is { Operation: EditOperation.Upscale } upscale)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Postprocess upscale by: {(upscale.UpscaleFactor > 0 ? upscale.UpscaleFactor : (double)width / Math.Max(1, job.Width)):0.###}, Postprocess upscaler: {upscale.Upscaler ?? "Lanczos"}");
        }

        var lines = new List<string> { job.Prompt };
        if (!string.IsNullOrEmpty(job.NegativePrompt))
        {
            lines.Add("Negative prompt: " + job.NegativePrompt);
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Steps: {job.Steps}, Sampler: {job.Scheduler}, CFG scale: {job.Guidance:0.###}, Seed: {seed}, Size: {width}x{height}, Model: {job.Model}"));

        // img2img, inpainting and outpainting (Editing): A1111 appends the strength after the model.
        if (job.Edit is { } edit)
        {
            lines[^1] += string.Create(CultureInfo.InvariantCulture, $", Denoising strength: {edit.Strength:0.###}");
            if (edit.Operation is EditOperation.Inpaint or EditOperation.Outpaint)
            {
                lines[^1] += string.Create(CultureInfo.InvariantCulture, $", Mask blur: {edit.MaskBlur}");
            }

            if (edit.InpaintOnlyMasked)
            {
                lines[^1] += string.Create(CultureInfo.InvariantCulture, $", Inpaint area: Only masked, Masked area padding: {edit.OnlyMaskedPadding}");
            }
        }

        return string.Join('\n', lines);
    }
}
