using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Queue;

/// <summary>What stops a text-to-image job's hires fix (<see cref="HiresPass"/>), checked at submission beside the
/// engine's checks of its first pass.</summary>
public static class HiresPassCheck
{
    /// <summary>The problems of <paramref name="hires"/> on a first pass of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static IEnumerable<FieldProblem> Problems(HiresPass hires, int width, int height)
    {
        if (!HiresPass.Factors.Contains(hires.Factor))
        {
            yield return new("hiresFactor", $"the hires fix enlarges {string.Join(" or ", HiresPass.Factors.Select(f => $"{f}×"))}; {hires.Factor}× was given");
        }
        else if (width * hires.Factor > GenerationRequest.MaxSize || height * hires.Factor > GenerationRequest.MaxSize)
        {
            yield return new("hiresFactor",
                $"a {hires.Factor}× hires fix of {width}×{height} would be {width * hires.Factor}×{height * hires.Factor}; at most {GenerationRequest.MaxSize} per side can be generated");
        }

        if (!(hires.Strength > 0f && hires.Strength <= 1f))
        {
            yield return new("hiresStrength", "the hires fix's denoising strength must be above 0 and at most 1");
        }

        if (hires.Steps is < 0 or > GenerationRequest.MaxSteps)
        {
            yield return new("hiresSteps", $"hires steps must be between 0 (the first pass's) and {GenerationRequest.MaxSteps}");
        }
    }
}
