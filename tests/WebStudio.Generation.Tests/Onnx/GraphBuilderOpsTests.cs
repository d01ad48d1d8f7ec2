using Google.Protobuf;
using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;
using static WebStudio.Generation.Tests.Onnx.OrtTestRunner;

namespace WebStudio.Generation.Tests.Onnx;

public sealed class GraphBuilderOpsTests
{
    private static float[] RunSingle(GraphBuilder g, string output, params Microsoft.ML.OnnxRuntime.NamedOnnxValue[] inputs)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        ModelWriter.Save(g, path);
        return Run(path, inputs)[output].Data;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void MatMul_plus_bias_matches_hand_computation()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, "batch", 3);
        var w = g.Initializer("w", [1, 2, 3, 4, 5, 6], [3, 2]);
        var b = g.Initializer("b", [10, 20], [2]);
        g.Output("y", DataType.Float, ["batch", 2], from: g.Add(g.MatMul(x, w), b));

        var y = RunSingle(g, "y", Floats("x", [1, 0, -1, 2, 1, 0], 2, 3));

        // Row [1,0,-1]: [1-5, 2-6] + bias; row [2,1,0]: [2+3, 4+4] + bias.
        AssertClose([6, 16, 15, 28], y);
    }

    [Fact]
    public void Softmax_SiLU_and_Gelu_match_their_formulas()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, 4);
        g.Output("softmax", DataType.Float, [4], from: g.Softmax(x));
        g.Output("silu", DataType.Float, [4], from: g.SiLU(x));
        g.Output("gelu", DataType.Float, [4], from: g.Gelu(x));
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        ModelWriter.Save(g, path);
        float[] input = [-2f, -0.5f, 0.25f, 3f];

        var outputs = Run(path, Floats("x", input, 4));

        var sum = input.Sum(MathF.Exp);
        AssertClose(input.Select(v => MathF.Exp(v) / sum).ToArray(), outputs["softmax"].Data);
        AssertClose(input.Select(v => v / (1 + MathF.Exp(-v))).ToArray(), outputs["silu"].Data);
        // GELU reference values from the exact erf form: 0.5x(1+erf(x/sqrt2)).
        AssertClose([-0.04550026f, -0.15426877f, 0.14967658f, 2.99595031f], outputs["gelu"].Data);
    }

    [Fact]
    public void GroupNorm_normalises_each_group_then_applies_per_channel_scale_and_bias()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, 1, 4, 1, 2);
        var scale = g.Initializer("scale", [1, 2, 3, 4], [4]);
        var bias = g.Initializer("bias", [0, 1, 0, -1], [4]);
        g.Output("y", DataType.Float, [1, 4, 1, 2], from: g.GroupNorm(x, scale, bias, groups: 2, epsilon: 0f));
        float[] input = [1, 2, 3, 4, 10, 10, 10, 30];

        var y = RunSingle(g, "y", Floats("x", input, 1, 4, 1, 2));

        var expected = new float[8];
        for (var group = 0; group < 2; group++)
        {
            var values = input.Skip(group * 4).Take(4).ToArray();
            var mean = values.Average();
            var std = MathF.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            for (var i = 0; i < 4; i++)
            {
                var channel = group * 2 + i / 2;
                expected[group * 4 + i] = (values[i] - mean) / std * (channel + 1) + new[] { 0f, 1f, 0f, -1f }[channel];
            }
        }

        AssertClose(expected, y);
    }

    [Fact]
    public void LayerNorm_layer_normalises_the_last_axis()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, 2, 3);
        g.Output("y", DataType.Float, [2, 3], from: g.LayerNorm(x, width: 3, epsilon: 0f));

        var y = RunSingle(g, "y", Floats("x", [1, 2, 3, -5, 0, 5], 2, 3));

        var a = MathF.Sqrt(1.5f);
        AssertClose([-a, 0, a, -a, 0, a], y);
    }

    [Fact]
    public void Conv_ResizeNearest_and_shape_ops_move_values_where_expected()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, 1, 1, 2, 2);
        // A 1x1 convolution with weight 2 and bias 1, then nearest upsampling by 2.
        var conv = g.Conv(x, g.Initializer("w", [2f], [1, 1, 1, 1]), g.Initializer("b", [1f], [1]));
        g.Output("up", DataType.Float, [1, 1, 4, 4], from: g.ResizeNearest(conv, 2));
        var flat = g.Reshape(x, 1, 4);
        var parts = g.Split(flat, 1, 1, 3);
        g.Output("rotated", DataType.Float, [1, 4], from: g.Concat(1, parts[1], parts[0]));
        g.Output("transposed", DataType.Float, [1, 1, 2, 2], from: g.Transpose(x, 0, 1, 3, 2));
        g.Output("sliced", DataType.Float, [1, 2], from: g.Slice(flat, [1], [4], [1], [2]));
        g.Output("mean", DataType.Float, [1, 1], from: g.ReduceMean(flat, [1]));
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        ModelWriter.Save(g, path);

        var outputs = Run(path, Floats("x", [1, 2, 3, 4], 1, 1, 2, 2));

        AssertClose([3, 3, 5, 5, 3, 3, 5, 5, 7, 7, 9, 9, 7, 7, 9, 9], outputs["up"].Data);
        AssertClose([2, 3, 4, 1], outputs["rotated"].Data);
        AssertClose([1, 3, 2, 4], outputs["transposed"].Data);
        AssertClose([2, 4], outputs["sliced"].Data);
        AssertClose([2.5f], outputs["mean"].Data);
    }

    [Fact]
    public void Gather_Cast_Sin_Cos_Expand_and_Where_compute_a_timestep_style_embedding()
    {
        var g = new GraphBuilder();
        var ids = g.Input("ids", DataType.Int64, "batch");
        var table = g.Initializer("table", [0f, 0.5f, 1f], [3]);
        var angle = g.Gather(table, ids);
        var both = g.Concat(0, g.Sin(angle), g.Cos(angle));
        g.Output("trig", DataType.Float, ["n"], from: both);
        var asInt = g.Cast(g.Mul(angle, g.Scalar(10f)), DataType.Int64);
        g.Output("scaled", DataType.Int64, ["batch"], from: asInt);
        var grid = g.Expand(g.Unsqueeze(angle, 1), g.Ints(2, 2));
        g.Output("grid", DataType.Float, [2, 2], from: grid);
        var positive = g.Op("Greater", [angle, g.Scalar(0.25f)]);
        g.Output("picked", DataType.Float, ["batch"], from: g.Where(positive, angle, g.Scalar(-1f)));
        g.Output("shape", DataType.Int64, [1], from: g.Shape(grid, start: 1));
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        ModelWriter.Save(g, path);

        var outputs = Run(path, Longs("ids", [2, 0], 2));

        AssertClose([MathF.Sin(1), 0, MathF.Cos(1), 1], outputs["trig"].Data);
        AssertClose([10, 0], outputs["scaled"].Data);
        AssertClose([1, 1, 0, 0], outputs["grid"].Data);
        AssertClose([1, -1], outputs["picked"].Data);
        AssertClose([2], outputs["shape"].Data);
    }

    [Fact]
    public void Inputs_keep_symbolic_fixed_and_rank_zero_shapes()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, "batch", 4);
        var t = g.Input("t", DataType.Float);
        g.Output("y", DataType.Float, ["batch", 4], from: g.Mul(x, t));
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        ModelWriter.Save(g, path);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);

        Assert.Equal([-1, 4], session.InputMetadata["x"].Dimensions);
        Assert.Equal("batch", session.InputMetadata["x"].SymbolicDimensions[0]);
        Assert.Empty(session.InputMetadata["t"].Dimensions);
        var y = Run(path, Floats("x", [1, 2, 3, 4], 1, 4), Floats("t", [3f]))["y"].Data;
        AssertClose([3, 6, 9, 12], y);
    }

    [Fact]
    public void Names_are_unique_and_misuse_gets_clear_errors()
    {
        var g = new GraphBuilder("names");
        Assert.Equal("a", g.UniqueName("a"));
        Assert.Equal("a_1", g.UniqueName("a"));
        Assert.Equal("a_2", g.UniqueName("a"));
        g.Input("x", DataType.Float, 2);

        var duplicate = Assert.Throws<InvalidOperationException>(() => g.Input("x", DataType.Float, 2));
        Assert.Contains("'x'", duplicate.Message);
        var badDims = Assert.Throws<ArgumentException>(() => g.Initializer("w", [1f, 2f, 3f], [2, 2]));
        Assert.Contains("'w'", badDims.Message);
        var missing = Assert.Throws<InvalidOperationException>(() => g.Output("nothing", DataType.Float, [2]));
        Assert.Contains("'nothing'", missing.Message);
    }

    [Fact]
    public void Layers_with_the_same_seed_write_the_same_bytes()
    {
        byte[] Write(int seed)
        {
            var g = new GraphBuilder(seed: seed);
            var x = g.Input("x", DataType.Float, 1, 3, 4, 4);
            g.Output("y", DataType.Float, [1, 8], from: g.Linear(g.Reshape(g.Conv2d(x, 3, 2), 1, 32), 32, 8));
            return g.Build().ToByteArray();
        }

        Assert.Equal(Write(7), Write(7));
        Assert.NotEqual(Write(7), Write(8));
    }
}
