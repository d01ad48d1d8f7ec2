using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Onnx;

/// <summary>One-line helpers for the ops the Stable Diffusion graphs use. Each returns its output name.</summary>
public sealed partial class GraphBuilder
{
    public string MatMul(string a, string b) => Op("MatMul", [a, b]);
    public string Add(string a, string b) => Op("Add", [a, b]);
    public string Sub(string a, string b) => Op("Sub", [a, b]);
    public string Mul(string a, string b) => Op("Mul", [a, b]);
    public string Div(string a, string b) => Op("Div", [a, b]);
    public string Sqrt(string x) => Op("Sqrt", [x]);
    public string Exp(string x) => Op("Exp", [x]);
    public string Sin(string x) => Op("Sin", [x]);
    public string Cos(string x) => Op("Cos", [x]);
    public string Tanh(string x) => Op("Tanh", [x]);
    public string Sigmoid(string x) => Op("Sigmoid", [x]);
    public string Relu(string x) => Op("Relu", [x]);
    public string Identity(string x) => Op("Identity", [x]);
    public string Where(string condition, string whenTrue, string whenFalse) => Op("Where", [condition, whenTrue, whenFalse]);

    /// <summary>SiLU as x * Sigmoid(x), the form exporters emit.</summary>
    public string SiLU(string x) => Mul(x, Sigmoid(x));

    /// <summary>Exact GELU: 0.5 * x * (1 + Erf(x / sqrt 2)).</summary>
    public string Gelu(string x)
    {
        var erf = Op("Erf", [Div(x, Scalar(MathF.Sqrt(2f)))]);
        return Mul(Mul(x, Add(erf, Scalar(1f))), Scalar(0.5f));
    }

    public string Conv(string x, string weight, string? bias = null, int stride = 1, int padding = 0, int group = 1) =>
        Op("Conv", bias is null ? [x, weight] : [x, weight, bias],
            Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", padding, padding, padding, padding),
            Attr.Int("group", group));

    /// <summary>GroupNormalization-21: <paramref name="scale"/> and <paramref name="bias"/> hold one value per channel.</summary>
    public string GroupNorm(string x, string scale, string bias, int groups, float epsilon = 1e-5f) =>
        Op("GroupNormalization", [x, scale, bias], Attr.Int("num_groups", groups), Attr.Float("epsilon", epsilon));

    public string LayerNorm(string x, string scale, string bias, int axis = -1, float epsilon = 1e-5f) =>
        Op("LayerNormalization", [x, scale, bias], Attr.Int("axis", axis), Attr.Float("epsilon", epsilon));

    public string Softmax(string x, int axis = -1) => Op("Softmax", [x], Attr.Int("axis", axis));

    /// <summary>Reshape to a constant shape (0 copies a dim, -1 infers one).</summary>
    public string Reshape(string x, params long[] shape) => Op("Reshape", [x, Ints(shape)]);

    /// <summary>Reshape to a shape computed in the graph (an int64 1-D value).</summary>
    public string ReshapeTo(string x, string shape) => Op("Reshape", [x, shape]);

    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], Attr.Ints("perm", perm));

    /// <summary>Nearest-neighbour upsampling of the two spatial dims of an NCHW tensor.</summary>
    public string ResizeNearest(string x, float scale)
    {
        var scales = Initializer(UniqueName("scales"), [1f, 1f, scale, scale], [4], DataType.Float);
        return Op("Resize", [x, "", scales],
            Attr.String("mode", "nearest"),
            Attr.String("coordinate_transformation_mode", "asymmetric"),
            Attr.String("nearest_mode", "floor"));
    }

    public string Concat(int axis, params string[] inputs) => Op("Concat", inputs, Attr.Int("axis", axis));

    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[]? steps = null) =>
        Op("Slice", steps is null
            ? [x, Ints(starts), Ints(ends), Ints(axes)]
            : [x, Ints(starts), Ints(ends), Ints(axes), Ints(steps)]);

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes.</summary>
    public string[] Split(string x, int axis, params long[] sizes) =>
        Node("Split", [x, Ints(sizes)], sizes.Length, Attr.Int("axis", axis));

    public string Cast(string x, DataType to) => Op("Cast", [x], Attr.Int("to", (long)to));

    public string Gather(string data, string indices, int axis = 0) => Op("Gather", [data, indices], Attr.Int("axis", axis));

    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", [x, Ints(axes)]);

    /// <summary>Broadcasts <paramref name="x"/> to a shape computed in the graph.</summary>
    public string Expand(string x, string shape) => Op("Expand", [x, shape]);

    public string ReduceMean(string x, long[] axes, bool keepDims = true) =>
        Op("ReduceMean", [x, Ints(axes)], Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>The shape of <paramref name="x"/> as int64, optionally only dims [start, end).</summary>
    public string Shape(string x, int? start = null, int? end = null)
    {
        var attributes = new List<global::Onnx.AttributeProto>();
        if (start is not null)
        {
            attributes.Add(Attr.Int("start", start.Value));
        }

        if (end is not null)
        {
            attributes.Add(Attr.Int("end", end.Value));
        }

        return Op("Shape", [x], [.. attributes]);
    }
}
