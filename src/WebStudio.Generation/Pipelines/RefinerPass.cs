using WebStudio.Generation.Models;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// A refiner that finishes a run in the same job (diffusers' base-then-refiner "ensemble of expert denoisers"): the
/// request's model denoises up to <see cref="SwitchAt"/> of the schedule (denoising_end), and <see cref="Model"/>
/// (an SDXL refiner, or any model of the same latent space) takes the still-noisy latents from there (denoising_start)
/// with its own text encoders and time ids, and decodes the result with its VAE.
/// </summary>
public sealed record RefinerPass(StableDiffusionModel Model, float SwitchAt = RefinerPass.DefaultSwitchAt)
{
    /// <summary>diffusers' documented high_noise_frac: the base runs the first 80% of the noise levels.</summary>
    public const float DefaultSwitchAt = 0.8f;

    /// <summary>The refiner's guidance scale, or null for the request's.</summary>
    public float? Guidance { get; init; }
}
