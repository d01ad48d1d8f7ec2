using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

/// <summary>Pre-LayerNorm causal transformer block, as in CLIP's text tower.</summary>
internal sealed class TextBlock : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly LayerNorm Norm1;
    public readonly Attention SelfAttention;
    public readonly LayerNorm Norm2;
    public readonly FeedForward Mlp;

    public TextBlock(int width, int heads) : base(nameof(TextBlock))
    {
        Norm1 = nn.LayerNorm(width);
        SelfAttention = new Attention(width, width, heads);
        Norm2 = nn.LayerNorm(width);
        Mlp = new FeedForward(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor causalMask)
    {
        var normed = Norm1.forward(x);
        x = x + SelfAttention.Forward(normed, normed, causalMask);
        return x + Mlp.forward(Norm2.forward(x));
    }
}

/// <summary>input_ids [B,77] → last_hidden_state [B,77,D]. No token sees the padding after the prompt, so a prompt's
/// states do not depend on it; within the prompt, tokens see each other both ways unless the config asks for CLIP's
/// causal attention throughout.</summary>
internal sealed class TextEncoderNet : nn.Module<Tensor, Tensor>
{
    public const float MaskValue = -1e9f;

    public readonly TextEncoderConfig Config;
    public readonly Embedding TokenEmbedding;
    public readonly Parameter PositionEmbedding;
    public readonly ModuleList<TextBlock> Blocks;
    public readonly LayerNorm FinalNorm;
    private readonly Tensor _causalMask;

    public TextEncoderNet(TextEncoderConfig config) : base(nameof(TextEncoderNet))
    {
        Config = config;
        TokenEmbedding = nn.Embedding(config.VocabSize, config.Width);
        PositionEmbedding = nn.Parameter(randn(config.MaxLength, config.Width) * 0.01f);
        Blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new TextBlock(config.Width, config.Heads)).ToArray());
        FinalNorm = nn.LayerNorm(config.Width);
        _causalMask = CausalMask(config.MaxLength);
        RegisterComponents();
        using (no_grad())
        {
            TokenEmbedding.weight!.normal_(0, 0.02);
        }
    }

    /// <summary>[L,L] additive mask: 0 on and below the diagonal, <see cref="MaskValue"/> above.</summary>
    public static Tensor CausalMask(int length) => ones(length, length).triu(1) * MaskValue;

    public static float[] CausalMaskValues(int length)
    {
        var values = new float[length * length];
        for (var i = 0; i < length; i++)
        {
            for (var j = i + 1; j < length; j++)
            {
                values[(i * length) + j] = MaskValue;
            }
        }

        return values;
    }

    /// <summary>
    /// [B,1,L,L] additive mask: token i sees token j when j ≤ max(i, e), e being the first EOS. The prompt's tokens
    /// (BOS…EOS) thus see the whole prompt, so the subject of "a star right of a ring" knows the relation that follows
    /// it (a causal encoder gives "star" the same state for "right of" and "left of"); padding tokens see what
    /// precedes them, as in CLIP. The shipped model's relations stayed at chance after a GPU leg with it (see the
    /// model card), so this is a precondition for learning them, not yet the cure.
    /// </summary>
    public static Tensor PromptMask(Tensor inputIds, int endId)
    {
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Float32, device: inputIds.device);
        var end = inputIds.eq(endId).to_type(ScalarType.Float32).argmax(1, keepdim: true).to_type(ScalarType.Float32);
        var limit = maximum(positions.unsqueeze(0), end);
        var allowed = positions.view(1, 1, -1).le(limit.unsqueeze(2));
        return where(allowed, 0f, MaskValue).unsqueeze(1);
    }

    public override Tensor forward(Tensor inputIds)
    {
        var x = TokenEmbedding.forward(inputIds) + PositionEmbedding;
        var mask = Config.PromptBidirectional ? PromptMask(inputIds, Config.EndId) : _causalMask;
        foreach (var block in Blocks)
        {
            x = block.forward(x, mask);
        }

        return FinalNorm.forward(x);
    }
}
