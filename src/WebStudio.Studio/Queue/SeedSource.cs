using System.Security.Cryptography;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Where a job's seed comes from when its submitter leaves it random (-1, and every OpenAI API request). A service
/// rather than a static call so that a test host can fix the seeds and pin the images they make.
/// </summary>
public class SeedSource
{
    /// <summary>The largest seed an image of a job takes: 2^53 − 1, the largest integer that a JSON client
    /// (JavaScript's numbers) holds exactly, so that a seed read back from the API, the history or a PNG's parameters
    /// makes the same image again.</summary>
    public const long MaxSeed = (1L << 53) - 1;

    public virtual long Next() => RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary><paramref name="spec"/> with its random seeds (-1) drawn now, so that the several jobs made from it (a
    /// dynamic prompt's, a plot's) share them and differ only where they are meant to.</summary>
    public JobSpec.Txt2Img Drawn(JobSpec.Txt2Img spec) => spec with
    {
        Seed = spec.Seed == -1 ? Next() : spec.Seed,
        VariationSeed = spec.VariationSeed == -1 ? Next() : spec.VariationSeed,
    };

    /// <summary>An edit's <paramref name="spec"/> (or any diffusion job's) with its random seeds drawn now.</summary>
    public JobSpec.Diffusion Drawn(JobSpec.Diffusion spec) =>
        spec is JobSpec.Txt2Img txt2img ? Drawn(txt2img) : spec with { Seed = spec.Seed == -1 ? Next() : spec.Seed };

    /// <summary>Why <paramref name="spec"/>'s seed or variation seed cannot be run: below -1, or so large that an image
    /// of its batch (seed + i) would pass <see cref="MaxSeed"/>. Null when they can.</summary>
    public static FieldProblem? Check(JobSpec spec)
    {
        var last = MaxSeed - ((spec as JobSpec.Diffusion)?.BatchSize - 1 ?? 0);
        if (!Fits(spec.Seed, last))
        {
            return new("seed", $"the seed must be -1 for a random one, or a whole number from 0 to {last}; {spec.Seed} was given");
        }

        return spec is JobSpec.Txt2Img { VariationSeed: { } variation } && !Fits(variation, last)
            ? new("variationSeed", $"the variation seed must be -1 for a random one, or a whole number from 0 to {last}; {variation} was given")
            : null;
    }

    private static bool Fits(long seed, long last) => seed == -1 || seed >= 0 && seed <= last;
}
