namespace WebStudio.Generation.Models.Diffusers;

/// <summary>vae_decoder/config.json and vae_encoder/config.json (AutoencoderKL).</summary>
public sealed record VaeConfigFile : DiffusersConfigFile
{
    public string? ActFn { get; init; }

    /// <summary>One entry per level; diffusers derives the scale factor as 2^(entries - 1).</summary>
    public int[]? BlockOutChannels { get; init; }

    /// <summary>SDXL's VAE overflows in float16, so diffusers decodes it in float32 unless this is false (a fixed fp16 VAE).</summary>
    public bool? ForceUpcast { get; init; }
    public int? InChannels { get; init; }
    public int? LatentChannels { get; init; }
    public int? LayersPerBlock { get; init; }
    public bool? MidBlockAddAttention { get; init; }
    public int? NormNumGroups { get; init; }
    public int? OutChannels { get; init; }
    public int? SampleSize { get; init; }
    public float? ScalingFactor { get; init; }
}
