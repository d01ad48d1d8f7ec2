namespace WebStudio.Generation.Models.Diffusers;

/// <summary>unet/config.json (UNet2DConditionModel), the keys the memory estimate and the pipeline read and those our
/// writers set. Numbers only written stay double, as real files may write "1" or "1.0".</summary>
public sealed record UNetConfigFile : DiffusersConfigFile
{
    public string? ActFn { get; init; }

    /// <summary>SDXL: "text_time" (the UNet takes text_embeds and time_ids).</summary>
    public string? AdditionEmbedType { get; init; }
    public int? AdditionTimeEmbedDim { get; init; }

    /// <summary>diffusers' SD 1.x/2.x configs give the number of heads under this name.</summary>
    public PerLevel<int>? AttentionHeadDim { get; init; }
    public int[]? BlockOutChannels { get; init; }
    public bool? CenterInputSample { get; init; }
    public PerLevel<int>? CrossAttentionDim { get; init; }
    public string[]? DownBlockTypes { get; init; }
    public double? DownsamplePadding { get; init; }
    public bool? FlipSinToCos { get; init; }
    public double? FreqShift { get; init; }
    public int? InChannels { get; init; }
    public PerLevel<int>? LayersPerBlock { get; init; }
    public double? MidBlockScaleFactor { get; init; }
    public double? NormEps { get; init; }
    public int? NormNumGroups { get; init; }
    public PerLevel<int>? NumAttentionHeads { get; init; }
    public PerLevel<bool>? OnlyCrossAttention { get; init; }
    public int? OutChannels { get; init; }
    public int? ProjectionClassEmbeddingsInputDim { get; init; }
    public int? SampleSize { get; init; }

    /// <summary>LCM UNets: the width of the guidance-scale embedding.</summary>
    public int? TimeCondProjDim { get; init; }

    /// <summary>Our trainer's note on the timestep input's type.</summary>
    public string? TimestepInput { get; init; }
    public string[]? UpBlockTypes { get; init; }
    public float? VaeScalingFactor { get; init; }
}
