using Google.Protobuf;
using Onnx;
using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Generation.Models;

/// <summary>
/// What a model folder tells about the memory a run needs, read without loading a session: the UNet's and VAE's
/// widths and attention layout from their config.json files (diffusers' names), the precision of the UNet's input,
/// and the size of the graphs. A figure a folder does not give takes SD 1.5's value or the larger choice, so an
/// estimate from these is never smaller for lack of information.
/// </summary>
public sealed record ModelShapes
{
    /// <summary>Text tokens the cross-attention sees (one 77-token window).</summary>
    public const int TextTokens = 77;

    // A graph bigger than this holds its weights inline; it is not parsed to learn its precision (fp32 is assumed).
    private const long MaxGraphBytesToScan = 256L * 1024 * 1024;

    /// <summary>Pixels per latent cell along each side.</summary>
    public int VaeScaleFactor { get; init; } = 8;

    /// <summary>What the sides of an image the model can make are a multiple of (<see cref="ModelConfig.SizeMultiple"/>).</summary>
    public int SizeMultiple { get; init; } = 8;

    public int LatentChannels { get; init; } = 4;

    /// <summary>The UNet's width at latent resolution (block_out_channels[0]).</summary>
    public int UNetChannels { get; init; } = 320;

    /// <summary>ResNet layers per UNet level; each leaves a skip activation for the up path, plus one per level.</summary>
    public int LayersPerBlock { get; init; } = 2;

    /// <summary>Attention heads at <see cref="FirstAttentionLevel"/>, whose maps are the largest: num_attention_heads,
    /// else attention_head_dim (which diffusers' SD configs use for the number of heads). Given per level (SD 2.x:
    /// 5, 10, 20, 20; SDXL: 5, 10, 20), the first attention level's count: each level deeper has a quarter of the
    /// tokens, so a sixteenth of the map per head, and at most twice the heads. The largest where the list is short.</summary>
    public int AttentionHeads { get; init; } = 8;

    /// <summary>The first UNet level with attention (from down_block_types): its maps cover latent/2^level per side.
    /// 0 when the config does not say, the most a UNet can have.</summary>
    public int FirstAttentionLevel { get; init; }

    /// <summary>only_cross_attention: the transformer blocks attend to the text only, with no pixel-to-pixel map.</summary>
    public bool OnlyCrossAttention { get; init; }

    /// <summary>True for LCM UNets (time_cond_proj_dim): guidance is an input, so no doubled CFG batch.</summary>
    public bool GuidanceEmbedded { get; init; }

    /// <summary>True for InstructPix2Pix models: their guidance runs three UNet rows per image, not two.</summary>
    public bool InstructPix2Pix { get; init; }

    /// <summary>The channels of the VAE decoder's widest feature maps at full resolution: block_out_channels[1] where
    /// wider than [0], since the level above upsamples into full resolution at its own width and the first full-resolution
    /// block takes that in (256 for SD's VAE, whose last level is 128 wide).</summary>
    public int VaeChannels { get; init; } = 256;

    /// <summary>mid_block_add_attention: the VAE's one-head self-attention at latent resolution (SD's VAE has it).</summary>
    public bool VaeMidAttention { get; init; } = true;

    /// <summary>Bytes per activation element: 2 for a float16 UNet, else 4.</summary>
    public int ElementBytes { get; init; } = 4;

    /// <summary>SDXL's force_upcast: the VAE runs in float32 whatever the UNet's precision.</summary>
    public bool VaeUpcast { get; init; }

    /// <summary>Bytes per VAE activation element: 4 where the VAE is upcast, else <see cref="ElementBytes"/>.</summary>
    public int VaeElementBytes => VaeUpcast ? 4 : ElementBytes;

    /// <summary>The model's graphs and weights on disk, as <see cref="ModelCache.EstimateBytes"/> counts them.</summary>
    public long WeightBytes { get; init; }

    /// <summary>
    /// How much ONNX Runtime's CPU provider holds of a float16 model's weights, per byte of file: it has few float16
    /// kernels, so it keeps the weights again as float32. Measured with the fp16 synthetic models on ORT 1.31 (RSS
    /// growth after a whole model's load): SDXL-sized, 6.94 GB of files, 13.7–15.8 GB on 2 cores and 17.2–17.5 GB on
    /// 16; SD 1.5-sized, 2.13 GB of files, 4.8–5.4 GB on 2 cores and 5.1 GB on 16 (2.0–2.5 times the files).
    /// </summary>
    public const double CpuHalfWeightFactor = 2.5;

    /// <summary>These figures as the CPU provider runs the model: a float16 graph's weights held as float32 beside the
    /// file's (<see cref="CpuHalfWeightFactor"/>) and its activations in float32. A float32 model is unchanged.</summary>
    public ModelShapes OnCpu() => ElementBytes == 4 ? this : this with
    {
        ElementBytes = 4,
        WeightBytes = (long)(WeightBytes * CpuHalfWeightFactor),
    };

    /// <summary>The side of the tiles the VAE decodes in (<see cref="ModelLoadOptions.VaeTileSize"/>); 0: whole images.</summary>
    public int VaeTileSize { get; init; }

    /// <summary>These figures as a studio runs the model: on the CPU provider or not (<see cref="OnCpu"/>), decoding in
    /// tiles of <paramref name="vaeTileSize"/> pixels or whole.</summary>
    public ModelShapes As(bool onCpu, int vaeTileSize) => (onCpu ? OnCpu() : this) with { VaeTileSize = vaeTileSize };

    /// <summary>Reads the figures of the model folder <paramref name="folder"/>; throws <see cref="ModelLoadException"/>
    /// where model_index.json is missing or a config is not JSON.</summary>
    public static ModelShapes Read(string folder)
    {
        var index = DiffusersJson.Read<ModelIndexFile>(folder, "model_index.json", required: true)!;
        var unet = DiffusersJson.Read<UNetConfigFile>(folder, Path.Combine("unet", "config.json"), required: false);
        var vae = DiffusersJson.Read<VaeConfigFile>(folder, Path.Combine("vae_decoder", "config.json"), required: false);
        var config = ModelConfig.FromFiles(index, unet, vae);
        var defaults = new ModelShapes();
        var firstAttentionLevel = FirstAttentionBlock(unet?.DownBlockTypes);
        return new ModelShapes
        {
            VaeScaleFactor = config.VaeScaleFactor,
            SizeMultiple = config.SizeMultiple,
            LatentChannels = vae?.LatentChannels ?? defaults.LatentChannels,
            UNetChannels = unet?.BlockOutChannels is [var unetWidth, ..] ? unetWidth : defaults.UNetChannels,
            LayersPerBlock = unet?.LayersPerBlock is { Values: [var layers, ..], IsList: false } ? layers : defaults.LayersPerBlock,
            AttentionHeads = HeadsAt(unet?.NumAttentionHeads, firstAttentionLevel) ?? HeadsAt(unet?.AttentionHeadDim, firstAttentionLevel)
                ?? defaults.AttentionHeads,
            FirstAttentionLevel = firstAttentionLevel,
            OnlyCrossAttention = unet?.OnlyCrossAttention is { Values: { Count: > 0 } levels } && levels.All(all => all),
            GuidanceEmbedded = config.TimeCondProjDim > 0,
            InstructPix2Pix = config.IsInstructPix2Pix,
            VaeChannels = vae?.BlockOutChannels switch
            {
                [var full, var above, ..] => Math.Max(full, above),
                [var full] => full,
                _ => defaults.VaeChannels,
            },
            VaeMidAttention = vae?.MidBlockAddAttention ?? true,
            ElementBytes = IsHalfPrecision(Path.Combine(folder, "unet", "model.onnx")) ? 2 : 4,
            VaeUpcast = config.ForceUpcast,
            WeightBytes = ModelCache.EstimateBytes(folder),
        };
    }

    // One number is taken as it is; of a list per level, the entry of that level, else the largest (none when no entry
    // is positive).
    private static int? HeadsAt(PerLevel<int>? heads, int level) => heads switch
    {
        null => null,
        { IsList: false } => heads.Values[0],
        _ when level < heads.Values.Count && heads.Values[level] > 0 => heads.Values[level],
        _ => heads.Values.DefaultIfEmpty(0).Max() is > 0 and var max ? max : null,
    };

    private static int FirstAttentionBlock(string[]? blocks)
    {
        if (blocks is null)
        {
            return 0;
        }

        var index = Array.FindIndex(blocks, name => name.Contains("Attn", StringComparison.Ordinal));
        return index >= 0 ? index : Math.Max(0, blocks.Length - 1); // none listed: the mid block's, at the deepest level
    }

    /// <summary>Whether the UNet's "sample" input is float16; false where the graph cannot be read (loading it
    /// reports that) or is too big to parse for this.</summary>
    private static bool IsHalfPrecision(string unetPath)
    {
        var file = new FileInfo(unetPath);
        if (!file.Exists || file.Length > MaxGraphBytesToScan)
        {
            return false;
        }

        try
        {
            using var stream = file.OpenRead();
            var sample = ModelProto.Parser.ParseFrom(stream).Graph?.Input.FirstOrDefault(i => i.Name == "sample");
            return sample?.Type?.TensorType?.ElemType == (int)TensorProto.Types.DataType.Float16;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
