namespace WebStudio.Generation.Models;

/// <summary>Which latent space a model works in: it decides the preview's latent→RGB factors and which configured
/// tiny preview decoder (TAESD or TAESDXL) fits it.</summary>
public enum ModelFamily
{
    /// <summary>Stable Diffusion 1.x and 2.x (and the built-in model): SD's VAE latents.</summary>
    StableDiffusion,

    /// <summary>SDXL and its fine-tunes (SDXL's own VAE latents).</summary>
    StableDiffusionXL,
}
