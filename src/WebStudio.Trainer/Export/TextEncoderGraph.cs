using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Trainer.Export;

/// <summary>text_encoder: input_ids [B,77] int32 (as diffusers' ONNX script exports) → last_hidden_state [B,77,D].</summary>
internal static class TextEncoderGraph
{
    public static GraphBuilder Build(TextEncoderNet net)
    {
        var g = new GraphBuilder(ModelParts.TextEncoder);
        var e = new OnnxEmitter(g);
        var length = net.Config.MaxLength;
        var ids = g.Input("input_ids", DataType.Int32, "batch", length);
        var x = g.Add(g.Gather(e.Weight("token_embedding", net.TokenEmbedding.weight!), ids), e.Weight("position_embedding", net.PositionEmbedding));
        var mask = net.Config.PromptBidirectional
            ? PromptMask(g, ids, net.Config.EndId, length)
            : e.Weight("causal_mask", TextEncoderNet.CausalMaskValues(length), [length, length]);
        foreach (var block in net.Blocks)
        {
            var normed = e.LayerNorm(x, block.Norm1);
            x = g.Add(x, e.Attention(normed, normed, block.SelfAttention, mask));
            x = g.Add(x, e.FeedForward(e.LayerNorm(x, block.Norm2), block.Mlp));
        }

        g.Output("last_hidden_state", DataType.Float, ["batch", length, net.Config.Width], e.LayerNorm(x, net.FinalNorm));
        return g;
    }

    /// <summary><see cref="TextEncoderNet.PromptMask"/> from the ids, [B,1,L,L]: in float, where ids and positions
    /// below 2^24 are exact, so every step is an op ORT runs for float.</summary>
    private static string PromptMask(GraphBuilder g, string ids, int endId, int length)
    {
        var isEnd = g.Cast(g.Op("Equal", [g.Cast(ids, DataType.Float), g.Scalar(endId)]), DataType.Float);
        var end = g.Cast(g.Op("ArgMax", [isEnd], Attr.Int("axis", 1), Attr.Int("keepdims", 1)), DataType.Float);
        var positions = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var limit = g.Op("Max", [g.Initializer(g.UniqueName("query_positions"), positions, [1, length]), end]);
        var allowed = g.Op("LessOrEqual", [g.Initializer(g.UniqueName("key_positions"), positions, [1, 1, length]), g.Unsqueeze(limit, 2)]);
        return g.Unsqueeze(g.Where(allowed, g.Scalar(0f), g.Scalar(TextEncoderNet.MaskValue)), 1);
    }
}
