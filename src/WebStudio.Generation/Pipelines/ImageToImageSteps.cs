namespace WebStudio.Generation.Pipelines;

/// <summary>
/// How many of an image-to-image run's steps denoise, as diffusers counts them: int(steps × strength), the schedule's
/// last ones; the source already holds the rest of the picture. At a low strength or a few steps that can be none
/// (a Turbo model's 1 step at strength 0.5), and the source would come back unchanged.
/// </summary>
public static class ImageToImageSteps
{
    /// <summary>The steps that denoise when <paramref name="steps"/> are asked for at <paramref name="strength"/>.</summary>
    public static int Run(int steps, float strength) => Math.Clamp((int)(steps * strength), 0, Math.Max(steps, 0));

    /// <summary>The fewest steps, from <paramref name="steps"/> up, that denoise at least once at a strength above 0
    /// (SDXL-Turbo's card: 2 steps at strength 0.5). Strength 0 asks for no change, so its steps stay as they are.</summary>
    public static int AtLeastOne(int steps, float strength)
    {
        if (!(strength > 0f) || strength > 1f)
        {
            return steps;
        }

        var needed = Math.Max(steps, 1);
        while (Run(needed, strength) < 1 && needed <= GenerationRequest.MaxSteps)
        {
            needed++;
        }

        return needed;
    }
}
