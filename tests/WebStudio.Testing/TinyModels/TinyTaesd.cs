using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Testing.TinyModels;

/// <summary>
/// TAESD-shaped decoders as optimum exports diffusers' AutoencoderTiny (latent_sample [B,4,h,w] → sample [B,3,8h,8w]):
/// layer for layer as DecoderTiny builds them, with random weights, at any width (TAESD's own is 64 channels, about
/// 1.2 M parameters), and a pass-through one whose pixels are the latents themselves, to pin scaling and range.
/// </summary>
public static class TinyTaesd
{
    /// <summary>TAESD's real width (decoder_block_out_channels 64, 64, 64, 64).</summary>
    public const int RealChannels = 64;

    // num_decoder_blocks (3, 3, 3, 1): three stages that end by doubling the size, then the final one.
    private static readonly int[] BlocksPerStage = [3, 3, 3, 1];

    /// <summary>DecoderTiny: tanh(x / 3) × 3, conv 4→C and ReLU, then per stage its blocks, a ×2 nearest upsampling and a
    /// bias-free conv (the last stage: no upsampling, a conv C→3 with bias), and ×2 − 1 into [-1, 1].</summary>
    public static GraphBuilder BuildDecoder(int channels = RealChannels, DataType? floatType = null, int seed = 77)
    {
        var type = floatType ?? DataType.Float;
        var g = new GraphBuilder("taesd_decoder", type, seed);
        var latents = g.Input("latent_sample", type, "batch", TinyModelVariant.LatentChannels, "latent_height", "latent_width");

        var h = g.Mul(g.Tanh(g.Div(latents, g.Scalar(3f))), g.Scalar(3f));
        h = g.Relu(g.Conv2d(h, TinyModelVariant.LatentChannels, channels, name: "conv_in"));
        for (var stage = 0; stage < BlocksPerStage.Length; stage++)
        {
            for (var block = 0; block < BlocksPerStage[stage]; block++)
            {
                h = Block(g, h, channels);
            }

            var final = stage == BlocksPerStage.Length - 1;
            if (!final)
            {
                h = g.ResizeNearest(h, 2);
            }

            h = g.Conv2d(h, channels, final ? 3 : channels, name: final ? "conv_out" : "up_conv", bias: final);
        }

        var pixels = g.Sub(g.Mul(h, g.Scalar(2f)), g.Scalar(1f));
        g.Output("sample", type, ["batch", 3, "height", "width"], from: pixels);
        return g;
    }

    /// <summary>A decoder whose pixel (channel c, 8y + i, 8x + j) is latent channel c at (y, x), for c &lt; 3: what comes
    /// out is exactly what went in, so a test sees how the latents are fed and how the pixels are read.</summary>
    public static GraphBuilder BuildPassThrough(DataType? floatType = null)
    {
        var type = floatType ?? DataType.Float;
        var g = new GraphBuilder("taesd_pass_through", type);
        var latents = g.Input("latent_sample", type, "batch", TinyModelVariant.LatentChannels, "latent_height", "latent_width");
        var rgb = g.ResizeNearest(g.Slice(latents, [0], [3], [1]), 8);
        g.Output("sample", type, ["batch", 3, "height", "width"], from: rgb);
        return g;
    }

    /// <summary>Writes <paramref name="graph"/> as <paramref name="folder"/>/model.onnx (a vae_approx/ folder or a
    /// configured one) and returns the file's path.</summary>
    public static string Write(string folder, GraphBuilder graph)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.onnx");
        ModelWriter.Save(graph, path);
        return path;
    }

    /// <summary>Weights in a graph (the elements of its float initializers).</summary>
    public static long ParameterCount(GraphBuilder graph) =>
        graph.Build().Graph.Initializer
            .Where(t => t.DataType is (int)DataType.Float or (int)DataType.Float16 && t.Dims.Count > 0 && !t.Name.StartsWith("scales", StringComparison.Ordinal))
            .Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));

    // AutoencoderTinyBlock: ReLU(conv-ReLU-conv-ReLU-conv(x) + x) (the skip is the identity when widths match).
    private static string Block(GraphBuilder g, string x, int channels)
    {
        var h = g.Relu(g.Conv2d(x, channels, channels, name: "block_conv"));
        h = g.Relu(g.Conv2d(h, channels, channels, name: "block_conv"));
        h = g.Conv2d(h, channels, channels, name: "block_conv");
        return g.Relu(g.Add(h, x));
    }
}
