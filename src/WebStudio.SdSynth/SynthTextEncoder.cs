using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// transformers' CLIPTextModel (ViT-L/14's text tower for SD 1.x) with optimum's signature: input_ids int64
/// [B, L] → last_hidden_state [B, L, width] and pooler_output [B, width]. Pre-norm layers: causal multi-head
/// self-attention and a quick_gelu MLP, then final_layer_norm; pooling takes the end-of-text token (highest id).
/// </summary>
public static class SynthTextEncoder
{
    public static void Build(SynthGraph s, SdArchitecture a)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var width = a.TextWidth;
        var ids = g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        var length = g.Shape(ids, 1, 2);

        var tokens = g.Gather(s.Table("text_model.embeddings.token_embedding.weight", a.VocabularySize, width), ids);
        var table = s.Table("text_model.embeddings.position_embedding.weight", a.MaxPositions, width);
        var positions = g.Op("Slice", [table, g.Ints(0), length, g.Ints(0)]);
        var h = g.Add(tokens, positions);

        // -10000 rather than -inf keeps the mask representable in float16; sliced to the sequence length.
        var mask = g.Op("Slice", [CausalMask(g, a.MaxPositions), g.Ints(0, 0), g.Concat(0, length, length), g.Ints(0, 1)]);
        for (var layer = 0; layer < a.TextLayers; layer++)
        {
            var name = $"text_model.encoder.layers.{layer}";
            var normed = s.LayerNorm(h, width, $"{name}.layer_norm1");
            h = g.Add(h, s.Attention(normed, normed, width, width, a.TextHeads, $"{name}.self_attn",
                q: "q_proj", k: "k_proj", v: "v_proj", output: "out_proj", qkvBias: true, mask: mask));
            normed = s.LayerNorm(h, width, $"{name}.layer_norm2");
            var hidden = s.Linear(normed, width, a.TextMlpWidth, $"{name}.mlp.fc1");
            var quickGelu = g.Mul(hidden, g.Sigmoid(g.Mul(hidden, g.Scalar(1.702f))));
            h = g.Add(h, s.Linear(quickGelu, a.TextMlpWidth, width, $"{name}.mlp.fc2"));
        }

        var last = g.Output("last_hidden_state", type, ["batch_size", "sequence_length", width],
            from: s.LayerNorm(h, width, "text_model.final_layer_norm"));

        var eos = g.Unsqueeze(g.Op("ArgMax", [ids], Attr.Int("axis", -1), Attr.Int("keepdims", 1)), 2);
        var gatherShape = g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, width));
        var pooled = g.Op("GatherElements", [last, g.Expand(eos, gatherShape)], Attr.Int("axis", 1));
        g.Output("pooler_output", type, ["batch_size", width], from: g.Reshape(pooled, 0, width));
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
