using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

/// <summary>GN → SiLU → conv → + time projection → GN → SiLU → conv, plus a 1×1 skip when widths differ.</summary>
internal sealed class ResBlock : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly GroupNorm Norm1;
    public readonly Conv2d Conv1;
    public readonly Linear TimeProjection;
    public readonly GroupNorm Norm2;
    public readonly Conv2d Conv2;
    public readonly Conv2d? Skip;

    public ResBlock(int inChannels, int outChannels, int timeDim, int groups) : base(nameof(ResBlock))
    {
        Norm1 = Norms.GroupNorm(groups, inChannels);
        Conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        TimeProjection = nn.Linear(timeDim, outChannels);
        Norm2 = Norms.GroupNorm(groups, outChannels);
        Conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        Skip = inChannels == outChannels ? null : nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary><paramref name="time"/> is the shared time embedding [B,T] already passed through SiLU.</summary>
    public override Tensor forward(Tensor x, Tensor time)
    {
        var h = Conv1.forward(nn.functional.silu(Norm1.forward(x)));
        h = h + TimeProjection.forward(time).unsqueeze(2).unsqueeze(3);
        h = Conv2.forward(nn.functional.silu(Norm2.forward(h)));
        return (Skip is null ? x : Skip.forward(x)) + h;
    }
}

/// <summary>Spatial transformer: GN → tokens → self-attention → cross-attention on the text → MLP → back, residual.</summary>
internal sealed class SpatialTransformer : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly GroupNorm Norm;
    public readonly Linear ProjectIn;
    public readonly LayerNorm Norm1;
    public readonly Attention SelfAttention;
    public readonly LayerNorm Norm2;
    public readonly Attention CrossAttention;
    public readonly LayerNorm Norm3;
    public readonly FeedForward Mlp;
    public readonly Linear ProjectOut;
    /// <summary>Coordinates → token width; zero at first, so a checkpoint from before it existed starts unchanged.</summary>
    public readonly Linear? Position;

    public SpatialTransformer(int channels, int contextDim, int heads, int groups, bool positions = false) : base(nameof(SpatialTransformer))
    {
        Norm = Norms.GroupNorm(groups, channels);
        ProjectIn = nn.Linear(channels, channels);
        Norm1 = nn.LayerNorm(channels);
        SelfAttention = new Attention(channels, channels, heads);
        Norm2 = nn.LayerNorm(channels);
        CrossAttention = new Attention(channels, contextDim, heads);
        Norm3 = nn.LayerNorm(channels);
        Mlp = new FeedForward(channels);
        ProjectOut = nn.Linear(channels, channels);
        Position = positions ? nn.Linear(PositionFeatureCount, channels) : null;
        RegisterComponents();
        if (Position is not null)
        {
            using (no_grad())
            {
                Position.weight!.zero_();
                Position.bias!.zero_();
            }
        }
    }

    public const int PositionFeatureCount = 6;

    /// <summary>
    /// Each token's place in the image, [B,H·W,6]: x and y in (-1,1) from the left and the top, and the sine and cosine
    /// of π·x and π·y. Counted with cumulative sums over a tensor of ones shaped like <paramref name="x"/> [B,C,H,W],
    /// so that the ONNX graph builds the same values from the tensor itself, at any image size.
    /// </summary>
    public static Tensor PositionFeatures(Tensor x)
    {
        var ones = (x.mean([1L], keepdim: true) * 0f) + 1f;
        var u = (((ones.cumsum(3) - 0.5f) / ones.sum(3, keepdim: true)) * 2f) - 1f;
        var v = (((ones.cumsum(2) - 0.5f) / ones.sum(2, keepdim: true)) * 2f) - 1f;
        var (pu, pv) = (u * MathF.PI, v * MathF.PI);
        var features = cat([u, v, pu.sin(), pv.sin(), pu.cos(), pv.cos()], 1);
        return features.reshape(features.shape[0], PositionFeatureCount, -1).transpose(1, 2);
    }

    public override Tensor forward(Tensor x, Tensor context)
    {
        var shape = x.shape;
        var tokens = Norm.forward(x).reshape(shape[0], shape[1], -1).transpose(1, 2); // [B,HW,C]
        tokens = ProjectIn.forward(tokens);
        if (Position is not null)
        {
            tokens = tokens + Position.forward(PositionFeatures(x));
        }

        var normed = Norm1.forward(tokens);
        tokens = tokens + SelfAttention.forward(normed, normed);
        tokens = tokens + CrossAttention.forward(Norm2.forward(tokens), context);
        tokens = tokens + Mlp.forward(Norm3.forward(tokens));
        tokens = ProjectOut.forward(tokens);
        return x + tokens.transpose(1, 2).reshape(shape);
    }
}
