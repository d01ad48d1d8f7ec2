namespace WebStudio.SdSynth;

/// <summary>
/// The sizes of a Stable Diffusion 1.x model: CLIP text encoder, UNet2DConditionModel and AutoencoderKL.
/// <see cref="Sd15"/> is runwayml/stable-diffusion-v1-5's configuration; <see cref="Miniature"/> is the same
/// structure shrunk for tests.
/// </summary>
public sealed record SdArchitecture
{
    public required string Name { get; init; }

    // CLIP text encoder (transformers CLIPTextModel).
    public int VocabularySize { get; init; } = 49408;
    public int MaxPositions { get; init; } = 77;
    public required int TextWidth { get; init; }
    public required int TextLayers { get; init; }
    public required int TextHeads { get; init; }
    public required int TextMlpWidth { get; init; }

    // UNet2DConditionModel: CrossAttnDownBlock2D for every level but the last, DownBlock2D last; mirrored on the way up.
    public required int[] UNetChannels { get; init; }
    public required int UNetLayersPerBlock { get; init; }

    /// <summary>diffusers' attention_head_dim, which for SD 1.x is really the number of heads.</summary>
    public int UNetHeads { get; init; } = 8;

    public int LatentChannels { get; init; } = 4;
    public int NormGroups { get; init; } = 32;

    // AutoencoderKL: the decoder has one more ResNet per level than layers_per_block.
    public required int[] VaeChannels { get; init; }
    public int VaeLayersPerBlock { get; init; } = 2;

    /// <summary>Latent side the UNet was trained at (64 → 512² images).</summary>
    public int SampleSize { get; init; } = 64;

    public int CrossAttentionDim => TextWidth;
    public int TimeEmbeddingWidth => 4 * UNetChannels[0];

    public static SdArchitecture Sd15 { get; } = new()
    {
        Name = "sd15",
        TextWidth = 768,
        TextLayers = 12,
        TextHeads = 12,
        TextMlpWidth = 3072,
        UNetChannels = [320, 640, 1280, 1280],
        UNetLayersPerBlock = 2,
        VaeChannels = [128, 256, 512, 512],
    };

    /// <summary>Every block of SD 1.5 at a fraction of the width, so tests write and run it in seconds.</summary>
    public static SdArchitecture Miniature { get; } = new()
    {
        Name = "miniature",
        TextWidth = 64,
        TextLayers = 2,
        TextHeads = 2,
        TextMlpWidth = 256,
        UNetChannels = [32, 64, 64, 64],
        UNetLayersPerBlock = 1,
        VaeChannels = [32, 32, 64, 64],
        VaeLayersPerBlock = 1,
        SampleSize = 8,
    };
}
