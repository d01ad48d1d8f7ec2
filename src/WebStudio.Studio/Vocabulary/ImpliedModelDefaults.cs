using WebStudio.Generation.Schedulers;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// The defaults a model folder implies when its card gives none. A Turbo model (SDXL-Turbo, SD-Turbo: distilled by
/// adversarial diffusion to one to four steps, trained without classifier-free guidance) runs 1 step at guidance 0, as
/// Stability's model cards advise; at the studio's 20 steps and guidance 7 it burns the picture. It is known by its
/// scheduler's "trailing" timestep spacing (what those exports ship) together with "turbo" in its folder name, which the
/// model manager keeps from the Hub repository: trailing spacing alone also marks other few-step models with other
/// step counts (SDXL-Lightning's 2, 4 or 8).
/// </summary>
public static class ImpliedModelDefaults
{
    public static readonly ModelGenerationDefaults Turbo = new() { Steps = 1, Guidance = 0f, Sampler = "Euler a" };

    /// <summary>The implied defaults of the model folder <paramref name="folder"/>, or null when it implies none.</summary>
    public static ModelGenerationDefaults? For(string folder)
    {
        var config = Path.Combine(folder, "scheduler", "scheduler_config.json");
        if (!Path.GetFileName(folder).Contains("turbo", StringComparison.OrdinalIgnoreCase) || !File.Exists(config))
        {
            return null;
        }

        try
        {
            return SchedulerConfig.FromJsonFile(config).TimestepSpacing == "trailing" ? Turbo : null;
        }
        catch (InvalidDataException)
        {
            return null; // a broken scheduler config fails the model's load with its own message
        }
    }
}
