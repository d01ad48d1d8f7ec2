namespace WebStudio.SdSynth;

/// <summary>
/// Parameter counts of stabilityai/stable-diffusion-xl-base-1.0 (sum of every tensor of each diffusers/transformers
/// module), which the synthetic SDXL graphs must match within <see cref="Tolerance"/> (issue 21: "about 2.567 B",
/// "about 694.7 M").
/// </summary>
public static class SdxlReference
{
    public const double Tolerance = 0.005;

    public static IReadOnlyDictionary<string, long> Parameters { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [SynthComponents.TextEncoder] = 123_060_480,
        [SynthComponents.UNet] = 2_567_463_684,
        // The VAE is SD's AutoencoderKL (only its scaling factor differs), split as optimum splits it.
        [SynthComponents.VaeDecoder] = 49_490_199,
        [SynthComponents.VaeEncoder] = 34_163_664,
        [SynthComponents.TextEncoder2] = 694_659_840,
    };

    /// <summary>(ours − SDXL's) ÷ SDXL's.</summary>
    public static double RelativeDifference(string component, long parameters) =>
        (parameters - Parameters[component]) / (double)Parameters[component];
}
