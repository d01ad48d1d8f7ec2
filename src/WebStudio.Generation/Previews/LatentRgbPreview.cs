using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

/// <summary>
/// The cheap preview: a fixed linear map from the 4 latent channels to RGB, at latent resolution (one pixel per
/// latent cell). It costs a few microseconds, so it can run on every step. The projection lands roughly in [-1, 1],
/// like decoded pixels. The factors are ComfyUI's (comfy/latent_formats.py, classes SD15 and SDXL), applied as its
/// Latent2RGBPreviewer does, to the latents as the UNet sees them.
/// </summary>
public static class LatentRgbPreview
{
    // Rows = latent channels, columns = R, G, B.
    private static readonly float[,] StableDiffusionFactors =
    {
        { 0.3512f, 0.2297f, 0.3227f },
        { 0.3250f, 0.4974f, 0.2350f },
        { -0.2829f, 0.1762f, 0.2721f },
        { -0.2120f, -0.2616f, -0.7177f },
    };

    // SDXL's VAE has its own latent space; ComfyUI's SDXL factors come with a bias per colour.
    private static readonly float[,] StableDiffusionXLFactors =
    {
        { 0.3651f, 0.4232f, 0.4341f },
        { -0.2533f, -0.0042f, 0.1068f },
        { 0.1076f, 0.1111f, -0.0362f },
        { -0.3165f, -0.2492f, -0.2188f },
    };

    private static readonly float[] StableDiffusionXLBias = [0.1084f, -0.0175f, -0.0011f];

    private static readonly float[] NoBias = [0f, 0f, 0f];

    /// <summary>Sample <paramref name="sampleIndex"/> of 4-channel latents (as the scheduler holds them) as an RGB frame,
    /// with the factors of <paramref name="family"/>'s latent space.</summary>
    public static RgbFrame Decode(Latents latents, int sampleIndex = 0, ModelFamily family = ModelFamily.StableDiffusion)
    {
        if (latents.Channels != 4)
        {
            throw new ArgumentException($"The latent→RGB preview needs 4 latent channels, these have {latents.Channels}.", nameof(latents));
        }

        var (factors, bias) = family == ModelFamily.StableDiffusionXL
            ? (StableDiffusionXLFactors, StableDiffusionXLBias)
            : (StableDiffusionFactors, NoBias);
        var plane = latents.Height * latents.Width;
        var offset = sampleIndex * latents.SampleLength;
        var data = latents.Data;
        var rgb = new byte[plane * 3];
        for (var i = 0; i < plane; i++)
        {
            float r = bias[0], g = bias[1], b = bias[2];
            for (var c = 0; c < 4; c++)
            {
                var v = data[offset + c * plane + i];
                r += v * factors[c, 0];
                g += v * factors[c, 1];
                b += v * factors[c, 2];
            }

            rgb[3 * i] = ImageTensors.ToByte(r);
            rgb[3 * i + 1] = ImageTensors.ToByte(g);
            rgb[3 * i + 2] = ImageTensors.ToByte(b);
        }

        return new RgbFrame(rgb, latents.Width, latents.Height);
    }
}
