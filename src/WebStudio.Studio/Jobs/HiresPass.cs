using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Jobs;

/// <summary>
/// A1111's "Hires. fix" checkbox, in the text-to-image job itself: the first pass at the job's size, then each image
/// enlarged <see cref="Factor"/>× with Lanczos and redrawn by image to image at <see cref="Strength"/> over
/// <see cref="Steps"/> steps, on the same seed and prompt (the Edit page's and the result panel's hires fix, run as
/// the job's second pass instead of a job of its own).
/// </summary>
public sealed record HiresPass
{
    /// <summary>The factors it enlarges by: Lanczos's (Upscaler.Lanczos), as the Edit page's hires fix offers them.</summary>
    public static IReadOnlyList<int> Factors { get; } = [2, 4];

    /// <summary>A1111's "Upscale by".</summary>
    public int Factor { get; init; } = 2;

    /// <summary>A1111's "Denoising strength"; the default keeps the built-in model's object count (see
    /// <see cref="WebStudio.Generation.Imaging.HiresFix.DefaultStrength"/>).</summary>
    public float Strength { get; init; } = WebStudio.Generation.Imaging.HiresFix.DefaultStrength;

    /// <summary>A1111's "Hires steps": the steps the second pass is scheduled over, of which the strength's share
    /// denoise; 0 takes the first pass's.</summary>
    public int Steps { get; init; }

    /// <summary>The steps the second pass is scheduled over after a first pass of <paramref name="steps"/>: at least
    /// enough for one to denoise.</summary>
    public int ScheduledSteps(int steps) => ImageToImageSteps.AtLeastOne(Steps > 0 ? Steps : steps, Strength);

    /// <summary>The steps of the second pass that denoise (and ask the model), after a first pass of <paramref name="steps"/>.</summary>
    public int DenoisingSteps(int steps) => ImageToImageSteps.Run(ScheduledSteps(steps), Strength);
}
