using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Testing.TinyModels;

/// <summary>
/// SDXL's two text encoders as optimum exports them, with <see cref="TinyModelVariant.XlTextLayers"/> CLIP blocks each:
/// text_encoder (CLIPTextModel: last_hidden_state, pooler_output, hidden_states.0…N) and text_encoder_2
/// (CLIPTextModelWithProjection: text_embeds, last_hidden_state, hidden_states.0…N). hidden_states.0 is the embedding
/// output and hidden_states.N the last block's, before the final layer norm, as transformers returns them.
/// </summary>
internal static class TinyXlTextEncoder
{
    public static GraphBuilder Build(TinyModelVariant variant, int vocabularySize, bool withProjection)
    {
        var g = new GraphBuilder(withProjection ? "text_encoder_2" : "text_encoder", variant.FloatType, variant.Seed + (withProjection ? 6 : 5));
        var width = withProjection ? variant.Text2Width : variant.Text1Width;
        var tokens = TinyModelVariant.MaxTokens;
        var inputIds = g.Input("input_ids", variant.InputIdsType, "batch", tokens);
        var ids = g.Cast(inputIds, DataType.Int64);

        var tokenTable = g.Initializer("token_embedding.weight", g.RandomWeights(vocabularySize * width, 1), [vocabularySize, width]);
        var positions = g.Initializer("position_embedding.weight", g.RandomWeights(tokens * width, 4), [tokens, width]);
        var h = g.Add(g.Gather(tokenTable, ids), positions);
        var hiddenStates = new List<string> { h };
        for (var layer = 0; layer < TinyModelVariant.XlTextLayers; layer++)
        {
            var normed = g.LayerNorm(h, width);
            h = g.Add(h, TinyBlocks.Attention(g, normed, normed, width, width, causal: tokens));
            var mlp = g.Linear(g.Gelu(g.Linear(g.LayerNorm(h, width), width, 4 * width, name: "fc1")), 4 * width, width, name: "fc2");
            h = g.Add(h, mlp);
            hiddenStates.Add(h);
        }

        var final = g.LayerNorm(h, width, name: "final_layer_norm");

        // CLIP pools the final states at the end-of-text token, the highest id in each row.
        var eos = g.Unsqueeze(g.Op("ArgMax", [ids], Attr.Int("axis", -1), Attr.Int("keepdims", 1)), 2);
        var gatherShape = g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, width));
        var pooled = g.Reshape(g.Op("GatherElements", [final, g.Expand(eos, gatherShape)], Attr.Int("axis", 1)), 0, width);

        if (withProjection)
        {
            var projected = g.Linear(pooled, width, variant.PooledWidth, bias: false, name: "text_projection");
            g.Output("text_embeds", variant.FloatType, ["batch", variant.PooledWidth], from: projected);
            g.Output("last_hidden_state", variant.FloatType, ["batch", tokens, width], from: final);
        }
        else
        {
            g.Output("last_hidden_state", variant.FloatType, ["batch", tokens, width], from: final);
            g.Output("pooler_output", variant.FloatType, ["batch", width], from: pooled);
        }

        for (var i = 0; i < hiddenStates.Count; i++)
        {
            g.Output($"hidden_states.{i}", variant.FloatType, ["batch", tokens, width], from: hiddenStates[i]);
        }

        return g;
    }
}
