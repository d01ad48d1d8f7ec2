using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Trainer.Export;

/// <summary>unet: sample [B,4,h,w] ([B,8,h,w] for an InstructPix2Pix UNet), timestep float [B], encoder_hidden_states [B,L,D] → out_sample [B,4,h,w]. L is
/// symbolic, as in diffusers' export, so a long prompt's 77-token windows can follow one another.
/// A float timestep keeps the fractional timesteps of Euler-type schedulers exact.</summary>
internal static class UNetGraph
{
    public static GraphBuilder Build(UNetNet net)
    {
        var config = net.Config;
        var g = new GraphBuilder(ModelParts.UNet);
        var e = new OnnxEmitter(g);
        var sample = g.Input("sample", DataType.Float, "batch", config.SampleChannels, "height", "width");
        var timestep = g.Input("timestep", DataType.Float, "batch");
        var context = g.Input("encoder_hidden_states", DataType.Float, "batch", "sequence", config.ContextDim);

        var frequencies = e.Weight("time_frequencies", UNetNet.Frequencies(), [1, UNetNet.TimeFrequencies / 2]);
        var args = g.Mul(g.Unsqueeze(timestep, 1), frequencies);
        var features = g.Concat(1, g.Cos(args), g.Sin(args));
        var time = e.SiLU(e.Linear(e.SiLU(e.Linear(features, net.Time1)), net.Time2));

        var h = e.Conv(sample, net.ConvIn);
        var skips = new List<string>();
        var levels = config.Channels.Length;
        for (var i = 0; i < levels; i++)
        {
            h = ResBlock(e, h, time, net.DownRes[i], config.Groups);
            if (config.HasAttention(i))
            {
                h = Transformer(e, h, context, net.DownAttn[i - config.FirstAttentionLevel], config.Groups);
            }

            skips.Add(h);
            if (i < levels - 1)
            {
                h = e.Conv(h, net.Downsamplers[i], stride: 2);
            }
        }

        h = ResBlock(e, h, time, net.MidRes1, config.Groups);
        h = Transformer(e, h, context, net.MidAttn, config.Groups);
        h = ResBlock(e, h, time, net.MidRes2, config.Groups);
        for (var i = levels - 1; i >= 0; i--)
        {
            if (i < levels - 1)
            {
                h = e.Conv(g.ResizeNearest(h, 2), net.Upsamplers[i]);
            }

            h = ResBlock(e, g.Concat(1, h, skips[i]), time, net.UpRes[i], config.Groups);
            if (config.HasAttention(i))
            {
                h = Transformer(e, h, context, net.UpAttn[i - config.FirstAttentionLevel], config.Groups);
            }
        }

        var output = e.Conv(e.SiLU(e.GroupNorm(h, net.NormOut, config.Groups)), net.ConvOut);
        g.Output("out_sample", DataType.Float, ["batch", config.InChannels, "height", "width"], output);
        return g;
    }

    private static string ResBlock(OnnxEmitter e, string x, string time, ResBlock block, int groups)
    {
        var g = e.Graph;
        var h = e.Conv(e.SiLU(e.GroupNorm(x, block.Norm1, groups)), block.Conv1);
        h = g.Add(h, g.Unsqueeze(e.Linear(time, block.TimeProjection), 2, 3));
        h = e.Conv(e.SiLU(e.GroupNorm(h, block.Norm2, groups)), block.Conv2);
        return g.Add(block.Skip is null ? x : e.Conv(x, block.Skip), h);
    }

    private static string Transformer(OnnxEmitter e, string x, string context, SpatialTransformer block, int groups)
    {
        var g = e.Graph;
        var tokens = g.Transpose(g.Reshape(e.GroupNorm(x, block.Norm, groups), 0, 0, -1), 0, 2, 1);
        tokens = e.Linear(tokens, block.ProjectIn);
        if (block.Position is not null)
        {
            tokens = g.Add(tokens, e.Linear(PositionFeatures(g, x), block.Position));
        }

        var normed = e.LayerNorm(tokens, block.Norm1);
        tokens = g.Add(tokens, e.Attention(normed, normed, block.SelfAttention));
        tokens = g.Add(tokens, e.Attention(e.LayerNorm(tokens, block.Norm2), context, block.CrossAttention));
        tokens = g.Add(tokens, e.FeedForward(e.LayerNorm(tokens, block.Norm3), block.Mlp));
        tokens = e.Linear(tokens, block.ProjectOut);
        return g.Add(x, g.ReshapeTo(g.Transpose(tokens, 0, 2, 1), g.Shape(x)));
    }

    /// <summary><see cref="SpatialTransformer.PositionFeatures"/> op for op: counts over ones shaped like x.</summary>
    private static string PositionFeatures(GraphBuilder g, string x)
    {
        var ones = g.Add(g.Mul(g.ReduceMean(x, [1]), g.Scalar(0f)), g.Scalar(1f));
        string Coordinate(long axis)
        {
            var counted = g.Op("CumSum", [ones, g.InitializerInt64(g.UniqueName("axis"), [axis], [])]);
            var count = g.Op("ReduceSum", [ones, g.Ints(axis)], Attr.Int("keepdims", 1));
            return g.Sub(g.Mul(g.Div(g.Sub(counted, g.Scalar(0.5f)), count), g.Scalar(2f)), g.Scalar(1f));
        }

        var u = Coordinate(3);
        var v = Coordinate(2);
        var (pu, pv) = (g.Mul(u, g.Scalar(MathF.PI)), g.Mul(v, g.Scalar(MathF.PI)));
        var features = g.Concat(1, u, v, g.Sin(pu), g.Sin(pv), g.Cos(pu), g.Cos(pv));
        return g.Transpose(g.Reshape(features, 0, 0, -1), 0, 2, 1);
    }
}
