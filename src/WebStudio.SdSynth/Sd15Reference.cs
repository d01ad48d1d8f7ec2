namespace WebStudio.SdSynth;

/// <summary>
/// Parameter counts of runwayml/stable-diffusion-v1-5 (sum of every tensor of each diffusers/transformers module),
/// which the synthetic graphs must match within <see cref="Tolerance"/>.
/// </summary>
public static class Sd15Reference
{
    public const double Tolerance = 0.001;

    public static IReadOnlyDictionary<string, long> Parameters { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [SynthComponents.TextEncoder] = 123_060_480,
        [SynthComponents.UNet] = 859_520_964,
        // AutoencoderKL's 83,653,863 split as optimum splits it: decoder + post_quant_conv, encoder + quant_conv.
        [SynthComponents.VaeDecoder] = 49_490_199,
        [SynthComponents.VaeEncoder] = 34_163_664,
    };

    /// <summary>(ours − SD 1.5's) ÷ SD 1.5's.</summary>
    public static double RelativeDifference(string component, long parameters) =>
        (parameters - Parameters[component]) / (double)Parameters[component];
}
