using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;

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

    /// <summary>What stops these settings on a first pass of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public IEnumerable<FieldProblem> Check(int width, int height)
    {
        if (!Factors.Contains(Factor))
        {
            yield return new("hiresFactor", $"the hires fix enlarges {string.Join(" or ", Factors.Select(f => $"{f}×"))}; {Factor}× was given");
        }
        else if (width * Factor > GenerationRequest.MaxSize || height * Factor > GenerationRequest.MaxSize)
        {
            yield return new("hiresFactor",
                $"a {Factor}× hires fix of {width}×{height} would be {width * Factor}×{height * Factor}; at most {GenerationRequest.MaxSize} per side can be generated");
        }

        if (!(Strength > 0f && Strength <= 1f))
        {
            yield return new("hiresStrength", "the hires fix's denoising strength must be above 0 and at most 1");
        }

        if (Steps is < 0 or > GenerationRequest.MaxSteps)
        {
            yield return new("hiresSteps", $"hires steps must be between 0 (the first pass's) and {GenerationRequest.MaxSteps}");
        }
    }
}
