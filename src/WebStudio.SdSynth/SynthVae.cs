namespace WebStudio.SdSynth;

/// <summary>
/// diffusers' AutoencoderKL halves as SD uses them. Decoder: post_quant_conv, conv_in, a mid block (ResNet,
/// single-head attention, ResNet), up blocks of layers_per_block+1 ResNets with nearest ×2 upsampling, norm, SiLU,
/// conv_out. Encoder: the mirror image down to 2 × latent channels (mean, log-variance), then quant_conv, exported
/// as optimum's latent_parameters.
/// </summary>
public static class SynthVae
{
    private const float Epsilon = 1e-6f;

    public static void BuildDecoder(SynthGraph s, SdArchitecture a)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var channels = a.VaeChannels;
        var latents = g.Input("latent_sample", type, "batch_size", a.LatentChannels, "latent_height", "latent_width");

        var h = s.Conv(latents, a.LatentChannels, a.LatentChannels, "post_quant_conv", kernel: 1);
        var current = channels[^1];
        h = s.Conv(h, a.LatentChannels, current, "decoder.conv_in");
        h = MidBlock(s, a, h, current, "decoder.mid_block");

        for (var up = 0; up < channels.Length; up++)
        {
            var level = channels.Length - 1 - up;
            for (var layer = 0; layer <= a.VaeLayersPerBlock; layer++)
            {
                h = Resnet(s, a, h, current, channels[level], $"decoder.up_blocks.{up}.resnets.{layer}");
                current = channels[level];
            }

            if (level > 0)
            {
                h = s.Conv(g.ResizeNearest(h, 2), current, current, $"decoder.up_blocks.{up}.upsamplers.0.conv");
            }
        }

        h = g.SiLU(s.GroupNorm(h, current, a.NormGroups, Epsilon, "decoder.conv_norm_out"));
        var rgb = s.Conv(h, current, 3, "decoder.conv_out");
        g.Output("sample", type, ["batch_size", 3, "height", "width"], from: rgb);
    }

    public static void BuildEncoder(SynthGraph s, SdArchitecture a)
    {
        var g = s.G;
        var type = s.Weights.Type;
        var channels = a.VaeChannels;
        var image = g.Input("sample", type, "batch_size", 3, "height", "width");

        var current = channels[0];
        var h = s.Conv(image, 3, current, "encoder.conv_in");
        for (var level = 0; level < channels.Length; level++)
        {
            for (var layer = 0; layer < a.VaeLayersPerBlock; layer++)
            {
                h = Resnet(s, a, h, current, channels[level], $"encoder.down_blocks.{level}.resnets.{layer}");
                current = channels[level];
            }

            if (level < channels.Length - 1)
            {
                // Downsample2D(padding=0) pads only bottom and right before its stride-2 conv.
                h = s.Conv(h, current, current, $"encoder.down_blocks.{level}.downsamplers.0.conv", stride: 2, pads: [0, 0, 1, 1]);
            }
        }

        h = MidBlock(s, a, h, current, "encoder.mid_block");
        h = g.SiLU(s.GroupNorm(h, current, a.NormGroups, Epsilon, "encoder.conv_norm_out"));
        var moments = 2 * a.LatentChannels;
        h = s.Conv(h, current, moments, "encoder.conv_out");
        var parameters = s.Conv(h, moments, moments, "quant_conv", kernel: 1);
        g.Output("latent_parameters", type, ["batch_size", moments, "latent_height", "latent_width"], from: parameters);
    }

    private static string MidBlock(SynthGraph s, SdArchitecture a, string x, int channels, string name)
    {
        var h = Resnet(s, a, x, channels, channels, $"{name}.resnets.0");
        h = Attention(s, a, h, channels, $"{name}.attentions.0");
        return Resnet(s, a, h, channels, channels, $"{name}.resnets.1");
    }

    /// <summary>ResnetBlock2D without a time embedding (temb_channels None).</summary>
    private static string Resnet(SynthGraph s, SdArchitecture a, string x, int inChannels, int outChannels, string name)
    {
        var g = s.G;
        var h = s.Conv(g.SiLU(s.GroupNorm(x, inChannels, a.NormGroups, Epsilon, $"{name}.norm1")), inChannels, outChannels, $"{name}.conv1");
        h = s.Conv(g.SiLU(s.GroupNorm(h, outChannels, a.NormGroups, Epsilon, $"{name}.norm2")), outChannels, outChannels, $"{name}.conv2");
        var shortcut = inChannels == outChannels ? x : s.Conv(x, inChannels, outChannels, $"{name}.conv_shortcut", kernel: 1);
        return g.Add(shortcut, h);
    }

    /// <summary>The mid block's single-head self-attention over pixels, with biased projections and a residual.</summary>
    private static string Attention(SynthGraph s, SdArchitecture a, string x, int channels, string name)
    {
        var sequence = s.ToSequence(s.GroupNorm(x, channels, a.NormGroups, Epsilon, $"{name}.group_norm"), channels);
        var attended = s.Attention(sequence, sequence, channels, channels, heads: 1, name, qkvBias: true);
        return s.G.Add(s.FromSequence(attended, x), x);
    }
}
