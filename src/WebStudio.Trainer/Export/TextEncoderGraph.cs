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
        var mask = e.Weight("causal_mask", TextEncoderNet.CausalMaskValues(length), [length, length]);
        foreach (var block in net.Blocks)
        {
            var normed = e.LayerNorm(x, block.Norm1);
            x = g.Add(x, e.Attention(normed, normed, block.SelfAttention, mask));
            x = g.Add(x, e.FeedForward(e.LayerNorm(x, block.Norm2), block.Mlp));
        }

        g.Output("last_hidden_state", DataType.Float, ["batch", length, net.Config.Width], e.LayerNorm(x, net.FinalNorm));
        return g;
    }
}
