using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

/// <summary>
/// The faithful preview: the model's own VAE decoder run on the predicted clean latents. Worth it for small
/// models (the built-in one decodes in milliseconds); for SD-sized models use it every few steps at most.
/// </summary>
public sealed class VaePreviewDecoder(StableDiffusionPipeline pipeline)
{
    public RgbFrame Decode(Latents predictedOriginal, int sampleIndex = 0)
    {
        var pixels = pipeline.DecodeLatents(predictedOriginal.Slice(sampleIndex));
        var plane = pixels.Height * pixels.Width;
        var rgb = new byte[plane * 3];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgb[3 * i + c] = ImageTensors.ToByte(pixels.Data[c * plane + i]);
            }
        }

        return new RgbFrame(rgb, pixels.Width, pixels.Height);
    }
}
