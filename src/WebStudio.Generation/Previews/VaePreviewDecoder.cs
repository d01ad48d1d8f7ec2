using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

/// <summary>
/// The faithful preview: the model's own VAE decoder run on the predicted clean latents. Worth it for small
/// models (the built-in one decodes in milliseconds); for SD-sized models use it every few steps at most.
/// </summary>
public sealed class VaePreviewDecoder(StableDiffusionPipeline pipeline)
{
    public RgbFrame Decode(Latents predictedOriginal, int sampleIndex = 0) =>
        pipeline.DecodeLatents(predictedOriginal.Slice(sampleIndex), static (pixels, _, _, height, width) =>
        {
            // The final image's conversion (the same bytes), read in place from the decoder straight into the frame.
            var rgb = new byte[3 * width * height];
            ImageTensors.ToInterleavedRgb(pixels, height, width, rgb);
            return new RgbFrame(rgb, width, height);
        });
}
