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
        var (ids, h) = TinyTextEncoder.Embeddings(g, variant, vocabularySize, width);
        var hiddenStates = new List<string> { h };
        for (var layer = 0; layer < TinyModelVariant.XlTextLayers; layer++)
        {
            h = TinyTextEncoder.Block(g, h, width);
            hiddenStates.Add(h);
        }

        var final = g.LayerNorm(h, width, name: "final_layer_norm");
        var pooled = TinyTextEncoder.Pooled(g, ids, final, width);

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
