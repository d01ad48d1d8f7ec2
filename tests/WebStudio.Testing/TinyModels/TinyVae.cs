namespace WebStudio.Testing.TinyModels;

/// <summary>Small AutoencoderKL halves: the decoder upsamples ×8 to RGB in [-1, 1], the encoder downsamples ×8.</summary>
internal static class TinyVae
{
    private const int Groups = 4;
    private const int Stages = 3;

    public static GraphBuilder BuildDecoder(TinyModelVariant variant)
    {
        var g = new GraphBuilder("vae_decoder", variant.FloatType, variant.Seed + 3);
        var channels = variant.VaeChannels;
        var latents = g.Input("latent_sample", variant.FloatType, "batch", TinyModelVariant.LatentChannels, "latent_height", "latent_width");

        var h = g.Conv2d(latents, TinyModelVariant.LatentChannels, TinyModelVariant.LatentChannels, kernel: 1, name: "post_quant_conv");
        h = g.Conv2d(h, TinyModelVariant.LatentChannels, channels, name: "conv_in");
        for (var stage = 0; stage < Stages; stage++)
        {
            h = g.SiLU(g.Conv2d(g.ResizeNearest(h, 2), channels, channels, name: "up"));
        }

        // tanh stands in for the real decoder's unbounded output, keeping pixels in the [-1, 1] range pipelines expect.
        var rgb = g.Tanh(TinyBlocks.NormActConv(g, h, channels, 3, Groups));
        g.Output("sample", variant.FloatType, ["batch", 3, "height", "width"], from: rgb);
        return g;
    }

    public static GraphBuilder BuildEncoder(TinyModelVariant variant)
    {
        var g = new GraphBuilder("vae_encoder", variant.FloatType, variant.Seed + 4);
        var channels = variant.VaeChannels;
        var latentChannels = TinyModelVariant.LatentChannels;
        var image = g.Input("sample", variant.FloatType, "batch", 3, "height", "width");

        var h = g.Conv2d(image, 3, channels, name: "conv_in");
        for (var stage = 0; stage < Stages; stage++)
        {
            h = g.SiLU(g.Conv2d(h, channels, channels, stride: 2, name: "down"));
        }

        // Mean and log-variance, as AutoencoderKL's quant_conv emits them.
        var moments = g.Conv2d(TinyBlocks.NormActConv(g, h, channels, 2 * latentChannels, Groups), 2 * latentChannels, 2 * latentChannels, kernel: 1, name: "quant_conv");
        var output = variant.EncoderOutputChannels == latentChannels
            ? g.Slice(moments, [0], [latentChannels], [1])
            : moments;
        g.Output(variant.EncoderOutputName, variant.FloatType, ["batch", variant.EncoderOutputChannels, "latent_height", "latent_width"], from: output);
        return g;
    }
}
