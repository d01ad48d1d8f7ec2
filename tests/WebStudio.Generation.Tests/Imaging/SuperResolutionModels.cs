using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Generation.Tests.Imaging;

/// <summary>
/// Tiny ×4 super-resolution graphs with seeded random weights, shaped like a Real-ESRGAN export:
/// image [1,3,h,w] in [0,1] → Conv 3×3 → ReLU → Conv 3×3 → pixel shuffle (DepthToSpace, CRD) → Sigmoid →
/// [1,3,4h,4w]. Two 3×3 convolutions see 2 input pixels around each output, so a tile's outermost 2 input
/// pixels differ from whole-image inference; everything further in must match it.
/// </summary>
internal static class SuperResolutionModels
{
    public const int Scale = 4;
    public const int ReceptiveRadius = 2;

    /// <param name="fixedSize">A fixed input side (an export for one tile size), or null for symbolic h and w.</param>
    public static string Write(string folder, string fileName, DataType type = DataType.Float, int? fixedSize = null)
    {
        var g = new GraphBuilder("super_resolution", floatType: type, seed: 77);
        Dim height = fixedSize is { } h ? h : "height";
        Dim width = fixedSize is { } w ? w : "width";
        Dim outHeight = fixedSize is { } oh ? oh * Scale : "out_height";
        Dim outWidth = fixedSize is { } ow ? ow * Scale : "out_width";
        var x = g.Input("image", type, 1, 3, height, width);
        var h1 = g.Op("Relu", [g.Conv2d(x, 3, 16)]);
        var h2 = g.Conv2d(h1, 16, 3 * Scale * Scale);
        var shuffled = g.Op("DepthToSpace", [h2], Attr.Int("blocksize", Scale), Attr.String("mode", "CRD"));
        g.Output("upscaled", type, [1, 3, outHeight, outWidth], from: g.Sigmoid(shuffled));
        var path = Path.Combine(folder, fileName);
        ModelWriter.Save(g, path);
        return path;
    }

    /// <summary>A graph with two inputs: not something the upscaler can drive.</summary>
    public static string WriteTwoInputs(string folder)
    {
        var g = new GraphBuilder("not_super_resolution");
        var a = g.Input("a", DataType.Float, 1, 3, "h", "w");
        var b = g.Input("b", DataType.Float, 1, 3, "h", "w");
        g.Output("sum", DataType.Float, [1, 3, "h", "w"], from: g.Add(a, b));
        var path = Path.Combine(folder, "two_inputs.onnx");
        ModelWriter.Save(g, path);
        return path;
    }
}
