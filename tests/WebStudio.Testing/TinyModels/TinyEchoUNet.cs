namespace WebStudio.Testing.TinyModels;

/// <summary>
/// A UNet whose prediction shows what it was given: per row, the sum of its input's channel groups of 4 (for an
/// InstructPix2Pix UNet, the noisy latents plus the image latents) plus the mean of that row's text states. Tests read
/// the rows and channels the pipeline feeds the UNet from it.
/// </summary>
public static class TinyEchoUNet
{
    /// <summary>Writes the echo UNet, with <paramref name="variant"/>'s inputs, to <paramref name="folder"/>/unet/model.onnx.</summary>
    public static void Write(string folder, TinyModelVariant variant)
    {
        var g = new GraphBuilder("echo_unet", variant.FloatType, variant.Seed);
        const int latent = TinyModelVariant.LatentChannels;
        var channels = variant.UNetInChannels;
        Dim batch = variant.FixedBatch1 ? 1 : "batch";
        var sample = g.Input("sample", variant.FloatType, batch, channels, "height", "width");
        _ = variant.ScalarTimestep ? g.Input("timestep", variant.TimestepType) : g.Input("timestep", variant.TimestepType, batch);
        var context = g.Input("encoder_hidden_states", variant.FloatType, batch, "sequence", variant.TextWidth);

        var echo = g.Slice(sample, [0], [latent], [1]);
        for (var start = latent; start + latent <= channels; start += latent)
        {
            echo = g.Add(echo, g.Slice(sample, [start], [start + latent], [1]));
        }

        var textMean = g.Unsqueeze(g.ReduceMean(context, [1, 2]), 3); // [B, 1, 1, 1]
        g.Output("out_sample", variant.FloatType, [batch, latent, "height", "width"], from: g.Add(echo, textMean));
        ModelWriter.Save(g, TinyStableDiffusion.ModelPath(folder, "unet"));
    }
}
