using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// diffusers' UNet2DConditionModel as SD 1.x configures it, with optimum's signature: sample [B,4,h,w], a rank-0
/// float timestep and encoder_hidden_states [B,L,768] → out_sample. Block for block: conv_in, a 4×-wide time
/// embedding, CrossAttnDownBlock2D × (levels-1) + DownBlock2D, UNetMidBlock2DCrossAttn, UpBlock2D +
/// CrossAttnUpBlock2D × (levels-1) with skip concatenation, then norm, SiLU and conv_out.
/// </summary>
public static class SynthUNet
{
    private const float ResnetEpsilon = 1e-5f;
    private const float TransformerNormEpsilon = 1e-6f;

    public static void Build(SynthGraph s, SdArchitecture a)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var channels = a.UNetChannels;
        var sample = g.Input("sample", type, "batch_size", a.LatentChannels, "height", "width");
        var timestep = g.Input("timestep", type);
        var context = g.Input("encoder_hidden_states", type, "batch_size", "sequence_length", a.CrossAttentionDim);

        // Timesteps(flip_sin_to_cos=True, freq_shift=0) then TimestepEmbedding: linear_1, SiLU, linear_2.
        var projected = g.TimestepEmbedding(timestep, channels[0]);
        var time = s.Linear(g.SiLU(s.Linear(projected, channels[0], a.TimeEmbeddingWidth, "time_embedding.linear_1")),
            a.TimeEmbeddingWidth, a.TimeEmbeddingWidth, "time_embedding.linear_2");
        var unet = new Blocks(s, a, g.SiLU(time), context);

        var h = s.Conv(sample, a.LatentChannels, channels[0], "conv_in");
        var skips = new Stack<(string Value, int Channels)>();
        skips.Push((h, channels[0]));
        var current = channels[0];
        for (var level = 0; level < channels.Length; level++)
        {
            var last = level == channels.Length - 1;
            for (var layer = 0; layer < a.UNetLayersPerBlock; layer++)
            {
                var prefix = $"down_blocks.{level}";
                h = unet.Resnet(h, current, channels[level], $"{prefix}.resnets.{layer}");
                current = channels[level];
                if (!last)
                {
                    h = unet.Transformer(h, current, $"{prefix}.attentions.{layer}");
                }

                skips.Push((h, current));
            }

            if (!last)
            {
                h = s.Conv(h, current, current, $"down_blocks.{level}.downsamplers.0.conv", stride: 2);
                skips.Push((h, current));
            }
        }

        h = unet.Resnet(h, current, current, "mid_block.resnets.0");
        h = unet.Transformer(h, current, "mid_block.attentions.0");
        h = unet.Resnet(h, current, current, "mid_block.resnets.1");

        for (var up = 0; up < channels.Length; up++)
        {
            var level = channels.Length - 1 - up;
            var withAttention = up > 0;
            for (var layer = 0; layer <= a.UNetLayersPerBlock; layer++)
            {
                var (skip, skipChannels) = skips.Pop();
                var prefix = $"up_blocks.{up}";
                h = unet.Resnet(g.Concat(1, h, skip), current + skipChannels, channels[level], $"{prefix}.resnets.{layer}");
                current = channels[level];
                if (withAttention)
                {
                    h = unet.Transformer(h, current, $"{prefix}.attentions.{layer}");
                }
            }

            if (level > 0)
            {
                h = s.Conv(g.ResizeNearest(h, 2), current, current, $"up_blocks.{up}.upsamplers.0.conv");
            }
        }

        h = g.SiLU(s.GroupNorm(h, current, a.NormGroups, ResnetEpsilon, "conv_norm_out"));
        var output = s.Conv(h, current, a.LatentChannels, "conv_out");
        g.Output("out_sample", type, ["batch_size", a.LatentChannels, "height", "width"], from: output);
    }

    /// <summary>The UNet's repeated blocks, sharing SiLU(time embedding) and the text context.</summary>
    private sealed class Blocks(SynthGraph s, SdArchitecture a, string timeActivated, string context)
    {
        private readonly Onnx.GraphBuilder _g = s.G;

        /// <summary>ResnetBlock2D: norm, SiLU, conv, + projected time embedding, norm, SiLU, conv, + shortcut.</summary>
        public string Resnet(string x, int inChannels, int outChannels, string name)
        {
            var h = s.Conv(_g.SiLU(s.GroupNorm(x, inChannels, a.NormGroups, ResnetEpsilon, $"{name}.norm1")), inChannels, outChannels, $"{name}.conv1");
            var timeBias = s.Linear(timeActivated, a.TimeEmbeddingWidth, outChannels, $"{name}.time_emb_proj");
            h = _g.Add(h, _g.Unsqueeze(timeBias, 2, 3));
            h = s.Conv(_g.SiLU(s.GroupNorm(h, outChannels, a.NormGroups, ResnetEpsilon, $"{name}.norm2")), outChannels, outChannels, $"{name}.conv2");
            var shortcut = inChannels == outChannels ? x : s.Conv(x, inChannels, outChannels, $"{name}.conv_shortcut", kernel: 1);
            return _g.Add(shortcut, h);
        }

        /// <summary>
        /// Transformer2DModel (use_linear_projection false): GroupNorm, 1×1 proj_in, one BasicTransformerBlock
        /// (self-attention, cross-attention over the text, GEGLU feed-forward, each after a LayerNorm), 1×1 proj_out, + input.
        /// </summary>
        public string Transformer(string x, int channels, string name)
        {
            var h = s.GroupNorm(x, channels, a.NormGroups, TransformerNormEpsilon, $"{name}.norm");
            h = s.Conv(h, channels, channels, $"{name}.proj_in", kernel: 1);
            var sequence = s.ToSequence(h, channels);

            var block = $"{name}.transformer_blocks.0";
            var normed = s.LayerNorm(sequence, channels, $"{block}.norm1");
            sequence = _g.Add(sequence, s.Attention(normed, normed, channels, channels, a.UNetHeads, $"{block}.attn1"));
            normed = s.LayerNorm(sequence, channels, $"{block}.norm2");
            sequence = _g.Add(sequence, s.Attention(normed, context, channels, a.CrossAttentionDim, a.UNetHeads, $"{block}.attn2"));
            normed = s.LayerNorm(sequence, channels, $"{block}.norm3");
            sequence = _g.Add(sequence, FeedForward(normed, channels, $"{block}.ff"));

            h = s.Conv(s.FromSequence(sequence, x), channels, channels, $"{name}.proj_out", kernel: 1);
            return _g.Add(h, x);
        }

        /// <summary>GEGLU: one projection to 2 × 4·dim, split into value and gate, value · GELU(gate), back to dim.</summary>
        private string FeedForward(string x, int dim, string name)
        {
            var inner = 4 * dim;
            var projected = s.Linear(x, dim, 2 * inner, $"{name}.net.0.proj");
            var halves = _g.Split(projected, -1, inner, inner);
            return s.Linear(_g.Mul(halves[0], _g.Gelu(halves[1])), inner, dim, $"{name}.net.2");
        }
    }
}
