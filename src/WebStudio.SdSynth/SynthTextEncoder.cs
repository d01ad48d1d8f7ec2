using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// transformers' CLIPTextModel (ViT-L/14's text tower for SD 1.x) with optimum's signature: input_ids int64
/// [B, L] → last_hidden_state [B, L, width] and pooler_output [B, width]. Pre-norm layers: causal multi-head
/// self-attention and a quick_gelu (bigG: gelu) MLP, then final_layer_norm; pooling takes the end-of-text token
/// (highest id). SDXL's encoders also export hidden_states.0…N (the embeddings, then each layer's output, before the
/// final norm), and text_encoder_2 (CLIPTextModelWithProjection) exports text_embeds, the pooled state through
/// text_projection, in place of pooler_output.
/// </summary>
public static class SynthTextEncoder
{
    public static void Build(SynthGraph s, SdArchitecture a, ClipTextArchitecture t)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var width = t.Width;
        var ids = g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        var length = g.Shape(ids, 1, 2);

        var tokens = g.Gather(s.Table("text_model.embeddings.token_embedding.weight", a.VocabularySize, width), ids);
        var table = s.Table("text_model.embeddings.position_embedding.weight", a.MaxPositions, width);
        var positions = g.Op("Slice", [table, g.Ints(0), length, g.Ints(0)]);
        var h = g.Add(tokens, positions);
        var hiddenStates = new List<string> { h };

        // -10000 rather than -inf keeps the mask representable in float16; sliced to the sequence length.
        var mask = g.Op("Slice", [CausalMask(g, a.MaxPositions), g.Ints(0, 0), g.Concat(0, length, length), g.Ints(0, 1)]);
        for (var layer = 0; layer < t.Layers; layer++)
        {
            var name = $"text_model.encoder.layers.{layer}";
            var normed = s.LayerNorm(h, width, $"{name}.layer_norm1");
            h = g.Add(h, s.Attention(normed, normed, width, width, t.Heads, $"{name}.self_attn",
                q: "q_proj", k: "k_proj", v: "v_proj", output: "out_proj", qkvBias: true, mask: mask));
            normed = s.LayerNorm(h, width, $"{name}.layer_norm2");
            var hidden = s.Linear(normed, width, t.MlpWidth, $"{name}.mlp.fc1");
            var activated = t.Activation == "gelu" ? g.Gelu(hidden) : g.Mul(hidden, g.Sigmoid(g.Mul(hidden, g.Scalar(1.702f))));
            h = g.Add(h, s.Linear(activated, t.MlpWidth, width, $"{name}.mlp.fc2"));
            hiddenStates.Add(h);
        }

        var final = s.LayerNorm(h, width, "text_model.final_layer_norm");
        var eos = g.Unsqueeze(g.Op("ArgMax", [ids], Attr.Int("axis", -1), Attr.Int("keepdims", 1)), 2);
        var gatherShape = g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, width));
        var pooled = g.Reshape(g.Op("GatherElements", [final, g.Expand(eos, gatherShape)], Attr.Int("axis", 1)), 0, width);

        // optimum's output order: CLIPTextModelWithProjection text_embeds first, CLIPTextModel last_hidden_state first.
        if (t.Projection)
        {
            g.Output("text_embeds", type, ["batch_size", width], from: s.Linear(pooled, width, width, "text_projection", bias: false));
            g.Output("last_hidden_state", type, ["batch_size", "sequence_length", width], from: final);
        }
        else
        {
            g.Output("last_hidden_state", type, ["batch_size", "sequence_length", width], from: final);
            g.Output("pooler_output", type, ["batch_size", width], from: pooled);
        }

        for (var i = 0; t.HiddenStates && i < hiddenStates.Count; i++)
        {
            g.Output($"hidden_states.{i}", type, ["batch_size", "sequence_length", width], from: hiddenStates[i]);
        }
    }

    private static string CausalMask(GraphBuilder g, int length)
    {
        var mask = new float[length * length];
        for (var row = 0; row < length; row++)
        {
            for (var column = row + 1; column < length; column++)
            {
                mask[row * length + column] = -10000f;
            }
        }

        return g.Initializer(g.UniqueName("causal_mask"), mask, [length, length]);
    }
}
