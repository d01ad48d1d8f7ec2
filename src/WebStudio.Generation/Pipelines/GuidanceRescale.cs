namespace WebStudio.Generation.Pipelines;

/// <summary>
/// diffusers' rescale_noise_cfg (Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are Flawed",
/// §3.4): classifier-free guidance at a high scale inflates the prediction's spread, which over-exposes the picture;
/// each image's guided prediction is scaled to the standard deviation of its conditional one, and mixed back by φ.
/// </summary>
public static class GuidanceRescale
{
    /// <summary>Rescales <paramref name="guided"/> in place, image by image (<paramref name="batch"/> equal parts), by
    /// <paramref name="phi"/> towards the spread of <paramref name="conditional"/>; φ = 0 leaves it as it is.</summary>
    public static void Apply(Span<float> guided, ReadOnlySpan<float> conditional, int batch, float phi)
    {
        if (phi <= 0f)
        {
            return;
        }

        var length = guided.Length / batch;
        for (var b = 0; b < batch; b++)
        {
            var image = guided.Slice(b * length, length);
            var ratio = StandardDeviation(conditional.Slice(b * length, length)) / StandardDeviation(image);
            if (!double.IsFinite(ratio))
            {
                continue; // a flat guided prediction has no spread to rescale
            }

            // φ·(x·σ_cond/σ_cfg) + (1 − φ)·x
            var factor = (float)(phi * ratio + (1 - phi));
            for (var i = 0; i < image.Length; i++)
            {
                image[i] *= factor;
            }
        }
    }

    // torch.std's default: the unbiased estimate, over every element of one image.
    private static double StandardDeviation(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        return Math.Sqrt(squares / Math.Max(1, values.Length - 1));
    }
}
