using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Testing.TinyModels;

/// <summary>A one-block CLIP-style text encoder: input_ids → last_hidden_state and pooler_output.</summary>
internal static class TinyTextEncoder
{
    public static GraphBuilder Build(TinyModelVariant variant, int vocabularySize)
    {
        var g = new GraphBuilder("text_encoder", variant.FloatType, variant.Seed + 1);
        var width = variant.TextWidth;
        var tokens = TinyModelVariant.MaxTokens;
        var inputIds = g.Input("input_ids", variant.InputIdsType, "batch", tokens);
        var ids = g.Cast(inputIds, DataType.Int64);

        var tokenTable = g.Initializer("token_embedding.weight", g.RandomWeights(vocabularySize * width, 1), [vocabularySize, width]);
        var positions = g.Initializer("position_embedding.weight", g.RandomWeights(tokens * width, 4), [tokens, width]);
        var h = g.Add(g.Gather(tokenTable, ids), positions);

        var normed = g.LayerNorm(h, width);
        h = g.Add(h, TinyBlocks.Attention(g, normed, normed, width, width, causal: tokens));
        var mlp = g.Linear(g.Gelu(g.Linear(g.LayerNorm(h, width), width, 4 * width, name: "fc1")), 4 * width, width, name: "fc2");
        h = g.Add(h, mlp);
        var last = g.Output("last_hidden_state", variant.FloatType, ["batch", tokens, width], from: g.LayerNorm(h, width, name: "final_layer_norm"));

        // CLIP pools the hidden state at the end-of-text token, the highest id in each row.
        var eos = g.Unsqueeze(g.Op("ArgMax", [ids], Attr.Int("axis", -1), Attr.Int("keepdims", 1)), 2);
        var gatherShape = g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, width));
        var pooled = g.Op("GatherElements", [last, g.Expand(eos, gatherShape)], Attr.Int("axis", 1));
        g.Output("pooler_output", variant.FloatType, ["batch", width], from: g.Reshape(pooled, 0, width));
        return g;
    }
}
