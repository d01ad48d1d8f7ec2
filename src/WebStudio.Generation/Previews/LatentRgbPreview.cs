using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

/// <summary>
/// The cheap preview: a fixed linear map from SD's 4 latent channels to RGB, at latent resolution (one pixel per
/// latent cell). These are the factors ComfyUI uses for SD 1.x latents (rows = latent channels, columns = R, G, B).
/// It costs a few microseconds, so it can run on every step. The projection lands roughly in [-1, 1], like decoded pixels.
/// </summary>
public static class LatentRgbPreview
{
    private static readonly float[,] Factors =
    {
        { 0.3512f, 0.2297f, 0.3227f },
        { 0.3250f, 0.4974f, 0.2350f },
        { -0.2829f, 0.1762f, 0.2721f },
        { -0.2120f, -0.2616f, -0.7177f },
    };

    /// <summary>Sample <paramref name="sampleIndex"/> of 4-channel latents (as the scheduler holds them) as an RGB frame.</summary>
    public static RgbFrame Decode(Latents latents, int sampleIndex = 0)
    {
        if (latents.Channels != 4)
        {
            throw new ArgumentException($"The latent→RGB preview needs 4 latent channels, these have {latents.Channels}.", nameof(latents));
        }

        var plane = latents.Height * latents.Width;
        var offset = sampleIndex * latents.SampleLength;
        var data = latents.Data;
        var rgb = new byte[plane * 3];
        for (var i = 0; i < plane; i++)
        {
            float r = 0, g = 0, b = 0;
            for (var c = 0; c < 4; c++)
            {
                var v = data[offset + c * plane + i];
                r += v * Factors[c, 0];
                g += v * Factors[c, 1];
                b += v * Factors[c, 2];
            }

            rgb[3 * i] = ImageTensors.ToByte(r);
            rgb[3 * i + 1] = ImageTensors.ToByte(g);
            rgb[3 * i + 2] = ImageTensors.ToByte(b);
        }

        return new RgbFrame(rgb, latents.Width, latents.Height);
    }
}
