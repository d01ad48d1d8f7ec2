namespace WebStudio.SdSynth;

/// <summary>
/// The sizes of a Stable Diffusion model: CLIP text encoder(s), UNet2DConditionModel and AutoencoderKL.
/// <see cref="Sd15"/> is runwayml/stable-diffusion-v1-5's configuration, <see cref="Sdxl"/> stabilityai's SDXL 1.0
/// base; <see cref="Miniature"/> and <see cref="MiniatureXl"/> are the same structures shrunk for tests.
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

    /// <summary>
    /// transformer_layers_per_block per level (0: a block without attention). Null is SD 1.x's: one transformer
    /// block at every level but the last. SDXL's is [0, 2, 10].
    /// </summary>
    public int[]? UNetTransformerDepths { get; init; }

    /// <summary>Transformer blocks of the mid block (SDXL: 10).</summary>
    public int UNetMidTransformerDepth { get; init; } = 1;

    /// <summary>Channels per attention head (SDXL: 64, so 5, 10 and 20 heads); null keeps <see cref="UNetHeads"/> heads.</summary>
    public int? UNetHeadWidth { get; init; }

    /// <summary>use_linear_projection: proj_in/proj_out are Linear layers on the sequence rather than 1×1 convs.</summary>
    public bool UNetLinearProjection { get; init; }

    /// <summary>SDXL's text_encoder_2 (OpenCLIP bigG with projection); null for SD 1.x.</summary>
    public ClipTextArchitecture? SecondText { get; init; }

    /// <summary>addition_time_embed_dim: each time id's sinusoidal width (SDXL: 256); 0 for no text_time embedding.</summary>
    public int AdditionTimeEmbedDim { get; init; }

    /// <summary>time_ids per row: original size, crop top-left, target size.</summary>
    public int TimeIdCount { get; init; } = 6;

    public float VaeScalingFactor { get; init; } = 0.18215f;

    public bool IsXl => SecondText is not null;

    /// <summary>Encoder 1 as a CLIP text tower; in SDXL it also exports hidden_states.*.</summary>
    public ClipTextArchitecture FirstText => new(TextWidth, TextLayers, TextHeads, TextMlpWidth, "quick_gelu", Projection: false, HiddenStates: IsXl);

    public int TransformerDepth(int level) =>
        UNetTransformerDepths?[level] ?? (level < UNetChannels.Length - 1 ? 1 : 0);

    public int HeadsFor(int channels) => UNetHeadWidth is { } width ? channels / width : UNetHeads;

    /// <summary>SDXL's pooled text_embeds width (text_encoder_2's projection).</summary>
    public int PooledWidth => SecondText?.Width ?? 0;

    public int LatentChannels { get; init; } = 4;
    public int NormGroups { get; init; } = 32;

    // AutoencoderKL: the decoder has one more ResNet per level than layers_per_block.
    public required int[] VaeChannels { get; init; }
    public int VaeLayersPerBlock { get; init; } = 2;

    /// <summary>Latent side the UNet was trained at (64 → 512² images).</summary>
    public int SampleSize { get; init; } = 64;

    /// <summary>SDXL joins both encoders' hidden states on the feature axis: 768 + 1280 = 2048.</summary>
    public int CrossAttentionDim => TextWidth + (SecondText?.Width ?? 0);
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

    /// <summary>
    /// SDXL 1.0 base (diffusers config): CLIP ViT-L and OpenCLIP bigG, a 3-level UNet with 2, 10 and 10 transformer
    /// blocks at 64 channels per head, text_time conditioning, SD's VAE at scaling 0.13025.
    /// </summary>
    public static SdArchitecture Sdxl { get; } = new()
    {
        Name = "sdxl",
        TextWidth = 768,
        TextLayers = 12,
        TextHeads = 12,
        TextMlpWidth = 3072,
        SecondText = new ClipTextArchitecture(1280, 32, 20, 5120, "gelu", Projection: true, HiddenStates: true),
        UNetChannels = [320, 640, 1280],
        UNetLayersPerBlock = 2,
        UNetTransformerDepths = [0, 2, 10],
        UNetMidTransformerDepth = 10,
        UNetHeadWidth = 64,
        UNetLinearProjection = true,
        AdditionTimeEmbedDim = 256,
        VaeChannels = [128, 256, 512, 512],
        VaeScalingFactor = 0.13025f,
        SampleSize = 128,
    };

    /// <summary>Every block of SDXL at a fraction of the width and depth, so tests write and run it in seconds.</summary>
    public static SdArchitecture MiniatureXl { get; } = new()
    {
        Name = "miniature-xl",
        TextWidth = 32,
        TextLayers = 2,
        TextHeads = 2,
        TextMlpWidth = 128,
        SecondText = new ClipTextArchitecture(48, 3, 2, 192, "gelu", Projection: true, HiddenStates: true),
        UNetChannels = [32, 64, 64],
        UNetLayersPerBlock = 1,
        UNetTransformerDepths = [0, 1, 2],
        UNetMidTransformerDepth = 2,
        UNetHeadWidth = 16,
        UNetLinearProjection = true,
        AdditionTimeEmbedDim = 8,
        VaeChannels = [32, 32, 64, 64],
        VaeLayersPerBlock = 1,
        VaeScalingFactor = 0.13025f,
        SampleSize = 8,
    };
}

/// <summary>
/// One CLIP text tower (transformers CLIPTextModel, or CLIPTextModelWithProjection when <paramref name="Projection"/>):
/// hidden width, layers, heads, MLP width and activation; <paramref name="HiddenStates"/> exports hidden_states.0…N.
/// </summary>
public sealed record ClipTextArchitecture(int Width, int Layers, int Heads, int MlpWidth, string Activation, bool Projection, bool HiddenStates);
