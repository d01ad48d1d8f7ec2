using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Testing.TinyModels;

/// <summary>A one-block CLIP-style text encoder: input_ids → last_hidden_state and pooler_output. Its parts (embeddings,
/// block, pooling) also build SDXL's encoders (<see cref="TinyXlTextEncoder"/>).</summary>
internal static class TinyTextEncoder
{
    public static GraphBuilder Build(TinyModelVariant variant, int vocabularySize)
    {
        var g = new GraphBuilder("text_encoder", variant.FloatType, variant.Seed + 1);
        var width = variant.TextWidth;
        var tokens = TinyModelVariant.MaxTokens;
        var (ids, h) = Embeddings(g, variant, vocabularySize, width);
        h = Block(g, h, width);
        var last = g.Output("last_hidden_state", variant.FloatType, ["batch", tokens, width], from: g.LayerNorm(h, width, name: "final_layer_norm"));
        g.Output("pooler_output", variant.FloatType, ["batch", width], from: Pooled(g, ids, last, width));
        return g;
    }

    /// <summary>input_ids (the variant's int type) → token plus position embeddings [B, 77, width], and the ids as int64.</summary>
    public static (string Ids, string Hidden) Embeddings(GraphBuilder g, TinyModelVariant variant, int vocabularySize, int width)
    {
        var tokens = TinyModelVariant.MaxTokens;
        var inputIds = g.Input("input_ids", variant.InputIdsType, "batch", tokens);
        var ids = g.Cast(inputIds, DataType.Int64);

        var tokenTable = g.Initializer("token_embedding.weight", g.RandomWeights(vocabularySize * width, 1), [vocabularySize, width]);
        var positions = g.Initializer("position_embedding.weight", g.RandomWeights(tokens * width, 4), [tokens, width]);
        return (ids, g.Add(g.Gather(tokenTable, ids), positions));
    }

    /// <summary>One pre-norm CLIP block: causal self-attention, then the MLP, each added to its input.</summary>
    public static string Block(GraphBuilder g, string h, int width)
    {
        var normed = g.LayerNorm(h, width);
        h = g.Add(h, TinyBlocks.Attention(g, normed, normed, width, width, causal: TinyModelVariant.MaxTokens));
        var mlp = g.Linear(g.Gelu(g.Linear(g.LayerNorm(h, width), width, 4 * width, name: "fc1")), 4 * width, width, name: "fc2");
        return g.Add(h, mlp);
    }

    /// <summary>CLIP pools the final states at the end-of-text token, the highest id in each row: [B, width].</summary>
    public static string Pooled(GraphBuilder g, string ids, string final, int width)
    {
        var eos = g.Unsqueeze(g.Op("ArgMax", [ids], Attr.Int("axis", -1), Attr.Int("keepdims", 1)), 2);
        var gatherShape = g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, width));
        var pooled = g.Op("GatherElements", [final, g.Expand(eos, gatherShape)], Attr.Int("axis", 1));
        return g.Reshape(pooled, 0, width);
    }
}
