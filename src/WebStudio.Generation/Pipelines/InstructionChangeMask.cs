namespace WebStudio.Generation.Pipelines;

/// <summary>
/// DiffEdit's automatic mask (Couairon et al. 2022; diffusers' StableDiffusionDiffEditPipeline) for an instruction
/// edit: where the instruction's term of the three-way guidance (text − image) moves the noise prediction during the
/// first steps is where the edit happens. Its channel mean, summed over those steps and the batch, scaled to its
/// maximum, thresholded and grown by one latent cell, is the area the rest of the run may repaint; everywhere else the
/// input is blended back after each step, as a painted mask is. DiffEdit contrasts two prompts at a fixed noise
/// level; here the contrast comes from the run's own steps, so it costs no extra UNet evaluation.
/// </summary>
internal sealed class InstructionChangeMask(int height, int width, int stepsToWatch, float threshold)
{
    /// <summary>The share of the steps watched before the mask is set: the noisiest ones, where the layout is decided.</summary>
    public const float WatchedShare = 0.25f;

    private readonly float[] _change = new float[height * width];
    private int _watched;

    /// <summary>Steps to watch for a run of <paramref name="stepCount"/>: at least one, and one fewer than the run.</summary>
    public static int StepsToWatch(int stepCount) => Math.Clamp((int)MathF.Round(stepCount * WatchedShare), 1, Math.Max(stepCount - 1, 1));

    /// <summary>True once the watched steps are in and <see cref="Mask"/> can be taken.</summary>
    public bool Complete => _watched >= stepsToWatch;

    /// <summary>Adds one step's instruction term from a three-chunk prediction (text, image, unconditional), each
    /// chunk [B, C, h, w].</summary>
    public void Watch(ReadOnlySpan<float> prediction, int chunkLength)
    {
        var plane = _change.Length;
        var text = prediction[..chunkLength];
        var image = prediction.Slice(chunkLength, chunkLength);
        for (var i = 0; i < chunkLength; i++)
        {
            _change[i % plane] += MathF.Abs(text[i] - image[i]);
        }

        _watched++;
    }

    /// <summary>The latent mask (1 = repaint), or null where the instruction moved nothing at all.</summary>
    public float[]? Mask()
    {
        var peak = _change.Max();
        if (!(peak > 0f))
        {
            return null;
        }

        var cut = threshold * peak;
        var mask = new float[_change.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (_change[(y * width) + x] < cut)
                {
                    continue;
                }

                // Grown by one cell: a latent cell holds 8 pixels, and an object's edge can fall just past it.
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (ny, nx) = (y + dy, x + dx);
                        if (ny >= 0 && ny < height && nx >= 0 && nx < width)
                        {
                            mask[(ny * width) + nx] = 1f;
                        }
                    }
                }
            }
        }

        return mask;
    }
}
