using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Trainer.Export;

/// <summary>vae_encoder: sample [B,3,H,W] → latent_sample [B,4,H/8,W/8] (unscaled, as diffusers' VAE);
/// vae_decoder: latent_sample → sample [B,3,8h,8w].</summary>
internal static class VaeGraphs
{
    public static GraphBuilder Encoder(VaeEncoderNet net)
    {
        var g = new GraphBuilder(ModelParts.VaeEncoder);
        var e = new OnnxEmitter(g);
        var patch = net.Config.Patch;
        var x = g.Input("sample", DataType.Float, "batch", 3, "height", "width");
        // ONNX SpaceToDepth orders channels (i·r + j)·C + c, torch's pixel_unshuffle c·r² + i·r + j:
        // permuting the first conv's input channels makes the two agree.
        var h = g.Op("SpaceToDepth", [x], Attr.Int("blocksize", patch));
        h = e.Conv(h, net.ConvIn, PermuteUnshuffleChannels(OnnxEmitter.Values(net.ConvIn.weight!), net.ConvIn.weight!.shape, patch));
        h = e.Conv(PlainBlock(e, h, net.Block1), net.Down, stride: 2);
        h = PlainBlock(e, h, net.Block2);
        var latent = e.Conv(e.SiLU(h), net.ConvOut);
        g.Output("latent_sample", DataType.Float, ["batch", net.Config.LatentChannels, "latent_height", "latent_width"], latent);
        return g;
    }

    public static GraphBuilder Decoder(VaeDecoderNet net)
    {
        var g = new GraphBuilder(ModelParts.VaeDecoder);
        var e = new OnnxEmitter(g);
        var z = g.Input("latent_sample", DataType.Float, "batch", net.Config.LatentChannels, "latent_height", "latent_width");
        var h = PlainBlock(e, PlainBlock(e, e.Conv(z, net.ConvIn), net.Block1), net.Block2);
        h = e.Conv(g.ResizeNearest(h, 2), net.Up);
        h = PlainBlock(e, PlainBlock(e, h, net.Block3), net.Block4);
        h = e.Conv(e.SiLU(h), net.ConvOut);
        // DepthToSpace in CRD mode is exactly torch's pixel_shuffle.
        var image = g.Op("DepthToSpace", [h], Attr.Int("blocksize", net.Config.Patch), Attr.String("mode", "CRD"));
        g.Output("sample", DataType.Float, ["batch", 3, "height", "width"], image);
        return g;
    }

    private static string PlainBlock(OnnxEmitter e, string x, PlainResBlock block) =>
        e.Graph.Add(x, e.Conv(e.SiLU(e.Conv(e.SiLU(x), block.Conv1)), block.Conv2));

    private static float[] PermuteUnshuffleChannels(float[] weight, long[] shape, int r)
    {
        var (outCh, inCh, kh, kw) = ((int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
        var colours = inCh / (r * r);
        var kernel = kh * kw;
        var result = new float[weight.Length];
        for (var o = 0; o < outCh; o++)
        {
            for (var c = 0; c < colours; c++)
            {
                for (var ij = 0; ij < r * r; ij++)
                {
                    var torchChannel = (c * r * r) + ij;
                    var onnxChannel = (ij * colours) + c;
                    Array.Copy(weight, ((o * inCh) + torchChannel) * kernel, result, ((o * inCh) + onnxChannel) * kernel, kernel);
                }
            }
        }

        return result;
    }
}
