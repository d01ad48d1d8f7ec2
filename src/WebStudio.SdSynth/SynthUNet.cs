using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// diffusers' UNet2DConditionModel as SD 1.x and SDXL configure it, with optimum's signature: sample [B,4,h,w], a
/// rank-0 float timestep and encoder_hidden_states [B,L,768] (SDXL: [B,L,2048], text_embeds [B,1280] and
/// time_ids [B,6]) → out_sample. Block for block: conv_in, a 4×-wide time embedding (+ SDXL's text_time
/// add_embedding), down blocks (CrossAttnDownBlock2D where the level has transformer blocks, else DownBlock2D),
/// UNetMidBlock2DCrossAttn, the up blocks mirrored with skip concatenation, then norm, SiLU and conv_out.
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
        if (a.AdditionTimeEmbedDim > 0)
        {
            time = g.Add(time, AddedEmbedding(s, a));
        }

        var unet = new Blocks(s, a, g.SiLU(time), context);

        var h = s.Conv(sample, a.LatentChannels, channels[0], "conv_in");
        var skips = new Stack<(string Value, int Channels)>();
        skips.Push((h, channels[0]));
        var current = channels[0];
        for (var level = 0; level < channels.Length; level++)
        {
            var last = level == channels.Length - 1;
            var depth = a.TransformerDepth(level);
            for (var layer = 0; layer < a.UNetLayersPerBlock; layer++)
            {
                var prefix = $"down_blocks.{level}";
                h = unet.Resnet(h, current, channels[level], $"{prefix}.resnets.{layer}");
                current = channels[level];
                if (depth > 0)
                {
                    h = unet.Transformer(h, current, depth, $"{prefix}.attentions.{layer}");
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
        h = unet.Transformer(h, current, a.UNetMidTransformerDepth, "mid_block.attentions.0");
        h = unet.Resnet(h, current, current, "mid_block.resnets.1");

        for (var up = 0; up < channels.Length; up++)
        {
            var level = channels.Length - 1 - up;
            var depth = a.TransformerDepth(level);
            for (var layer = 0; layer <= a.UNetLayersPerBlock; layer++)
            {
                var (skip, skipChannels) = skips.Pop();
                var prefix = $"up_blocks.{up}";
                h = unet.Resnet(g.Concat(1, h, skip), current + skipChannels, channels[level], $"{prefix}.resnets.{layer}");
                current = channels[level];
                if (depth > 0)
                {
                    h = unet.Transformer(h, current, depth, $"{prefix}.attentions.{layer}");
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

    /// <summary>
    /// SDXL's addition_embed_type "text_time": each time id's sinusoidal embedding (add_time_proj), flattened after the
    /// pooled text_embeds (1280 + 6 × 256 = 2816), through add_embedding's linear_1, SiLU and linear_2.
    /// </summary>
    private static string AddedEmbedding(SynthGraph s, SdArchitecture a)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var textEmbeds = g.Input("text_embeds", type, "batch_size", a.PooledWidth);
        var timeIds = g.Input("time_ids", type, "batch_size", a.TimeIdCount);
        var idsWidth = a.TimeIdCount * a.AdditionTimeEmbedDim;
        var idsEmbedding = g.Reshape(g.TimestepEmbedding(timeIds, a.AdditionTimeEmbedDim), -1, idsWidth);
        var inWidth = a.PooledWidth + idsWidth;
        var hidden = g.SiLU(s.Linear(g.Concat(1, textEmbeds, idsEmbedding), inWidth, a.TimeEmbeddingWidth, "add_embedding.linear_1"));
        return s.Linear(hidden, a.TimeEmbeddingWidth, a.TimeEmbeddingWidth, "add_embedding.linear_2");
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
        /// Transformer2DModel: GroupNorm, proj_in (a 1×1 conv, or with use_linear_projection a Linear on the
        /// sequence), <paramref name="depth"/> BasicTransformerBlocks (self-attention, cross-attention over the text,
        /// GEGLU feed-forward, each after a LayerNorm), proj_out likewise, + input.
        /// </summary>
        public string Transformer(string x, int channels, int depth, string name)
        {
            var h = s.GroupNorm(x, channels, a.NormGroups, TransformerNormEpsilon, $"{name}.norm");
            var sequence = a.UNetLinearProjection
                ? s.Linear(s.ToSequence(h, channels), channels, channels, $"{name}.proj_in")
                : s.ToSequence(s.Conv(h, channels, channels, $"{name}.proj_in", kernel: 1), channels);

            var heads = a.HeadsFor(channels);
            for (var index = 0; index < depth; index++)
            {
                var block = $"{name}.transformer_blocks.{index}";
                var normed = s.LayerNorm(sequence, channels, $"{block}.norm1");
                sequence = _g.Add(sequence, s.Attention(normed, normed, channels, channels, heads, $"{block}.attn1"));
                normed = s.LayerNorm(sequence, channels, $"{block}.norm2");
                sequence = _g.Add(sequence, s.Attention(normed, context, channels, a.CrossAttentionDim, heads, $"{block}.attn2"));
                normed = s.LayerNorm(sequence, channels, $"{block}.norm3");
                sequence = _g.Add(sequence, FeedForward(normed, channels, $"{block}.ff"));
            }

            h = a.UNetLinearProjection
                ? s.FromSequence(s.Linear(sequence, channels, channels, $"{name}.proj_out"), x)
                : s.Conv(s.FromSequence(sequence, x), channels, channels, $"{name}.proj_out", kernel: 1);
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
