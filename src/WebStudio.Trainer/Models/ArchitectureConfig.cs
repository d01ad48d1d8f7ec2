namespace WebStudio.Trainer.Models;

/// <summary>Autoencoder widths: a 4× pixel-unshuffle stem, then one stride-2 conv, so 128² → 16² latents.</summary>
internal sealed record VaeConfig(int Width1, int Width2, int LatentChannels = 4, int Patch = 4)
{
    public const int Downsampling = 8;
}

/// <summary>CLIP-like transformer over the 77 token positions. With <see cref="PromptBidirectional"/>, the prompt's own
/// tokens (BOS up to the first EOS, <see cref="EndId"/>) attend to each other both ways, while the padding after them stays
/// causal: see <see cref="TextEncoderNet.PromptMask"/>.</summary>
internal sealed record TextEncoderConfig(int VocabSize, int Width, int Layers, int Heads, int EndId, bool PromptBidirectional, int MaxLength = 77);

/// <summary>Conv UNet: one level per entry of <see cref="Channels"/> (each halves the resolution); from level
/// <see cref="FirstAttentionLevel"/> on, a transformer block (self- then cross-attention) follows every ResBlock.
/// With <see cref="PositionFeatures"/>, each transformer block adds the tokens' image coordinates (see
/// <see cref="SpatialTransformer.PositionFeatures"/>), so that "on the left" or "at the top" has a place to go.
/// <see cref="ConditionChannels"/> more input channels follow the latents (an InstructPix2Pix UNet takes the input
/// image's latents there); the output keeps <see cref="InChannels"/>.</summary>
internal sealed record UNetConfig(int[] Channels, int FirstAttentionLevel, int Groups, int Heads, int TimeDim, int ContextDim, int InChannels = 4, bool PositionFeatures = true, int ConditionChannels = 0)
{
    public bool HasAttention(int level) => level >= FirstAttentionLevel;

    /// <summary>conv_in's input channels: the latents and the condition beside them.</summary>
    public int SampleChannels => InChannels + ConditionChannels;
}

/// <summary>The three networks' sizes; <see cref="Tiny"/> is for tests.</summary>
internal sealed record ArchitectureConfig(string Name, VaeConfig Vae, int TextWidth, int TextLayers, int TextHeads, UNetConfig UNet)
{
    public static ArchitectureConfig Full { get; } = new(
        "full",
        new VaeConfig(64, 128),
        TextWidth: 128, TextLayers: 2, TextHeads: 4,
        new UNetConfig([32, 64, 128], FirstAttentionLevel: 1, Groups: 8, Heads: 4, TimeDim: 128, ContextDim: 128));

    /// <summary><see cref="Full"/> with cross-attention from the 16×16 latent level on, where a position spans 8 px
    /// rather than 16 px (a written word's letter with its gap is 27–39 px). <c>import</c> brings a <see cref="Full"/> folder into it with the
    /// new level's transformers adding nothing at first (see <see cref="Training.EarlierAttention"/>).</summary>
    public static ArchitectureConfig FullAttention16 { get; } = Full with
    {
        Name = "full-attention16",
        UNet = Full.UNet with { FirstAttentionLevel = 0 },
    };

    public static ArchitectureConfig Tiny { get; } = new(
        "tiny",
        new VaeConfig(8, 16),
        TextWidth: 16, TextLayers: 1, TextHeads: 2,
        new UNetConfig([16, 32], FirstAttentionLevel: 0, Groups: 4, Heads: 2, TimeDim: 32, ContextDim: 16));

    /// <summary>Whether the text encoder's prompt tokens see each other both ways (models before this were causal
    /// throughout, as CLIP is).</summary>
    public bool PromptBidirectional { get; init; } = true;

    /// <summary>The same networks with an InstructPix2Pix UNet: the image latents join the noisy ones on the channels.</summary>
    public ArchitectureConfig ForEditing() => this with { UNet = UNet with { ConditionChannels = UNet.InChannels } };

    public TextEncoderConfig Text(int vocabSize, int endId) => new(vocabSize, TextWidth, TextLayers, TextHeads, endId, PromptBidirectional);

    public static ArchitectureConfig Named(string name) => name switch
    {
        "full" => Full,
        "full-attention16" => FullAttention16,
        "tiny" => Tiny,
        _ => throw new ArgumentException($"--config must be 'full', 'full-attention16' or 'tiny', not '{name}'."),
    };
}
