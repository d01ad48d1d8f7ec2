using Onnx;
using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;
using static WebStudio.Generation.Tests.Onnx.OrtTestRunner;

namespace WebStudio.Generation.Tests.Onnx;

public sealed class ModelWriterTests
{
    private static GraphBuilder TwoLayerNet(DataType floatType)
    {
        var g = new GraphBuilder("mlp", floatType, seed: 11);
        var x = g.Input("x", floatType, "batch", 64);
        var h = g.Gelu(g.Linear(x, 64, 48));
        g.Output("y", floatType, ["batch", 16], from: g.Linear(h, 48, 16));
        return g;
    }

    [Theory]
    [InlineData(ExternalDataOptions.OptimumFileName, 0)]
    [InlineData(ExternalDataOptions.DiffusersScriptFileName, 4096)]
    public void External_data_round_trips_and_gives_the_same_outputs(string fileName, int alignment)
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        var inline = Path.Combine(dir, "inline", "model.onnx");
        var external = Path.Combine(dir, "external", "model.onnx");
        var g = TwoLayerNet(DataType.Float);
        ModelWriter.Save(g, inline);
        ModelWriter.Save(g, external, new ExternalDataOptions(fileName, SizeThreshold: 1024, Alignment: alignment));
        var input = Floats("x", Seeded(128, seed: 1), 2, 64);

        var expected = Run(inline, input)["y"].Data;
        var actual = Run(external, input)["y"].Data;

        Assert.Equal(expected, actual);
        var dataFile = new FileInfo(Path.Combine(dir, "external", fileName));
        Assert.True(dataFile.Exists);
        // The two weight matrices (64x48 and 48x16 floats) moved out; the small biases stay inline.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(external));
        var moved = model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.Equal(["linear.weight", "linear_1.weight"], moved.Select(t => t.Name));
        Assert.All(moved, t => Assert.True(t.RawData.IsEmpty));
        foreach (var tensor in moved)
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            Assert.Equal(fileName, entries["location"]);
            Assert.Equal(tensor.Dims.Aggregate(4L, (a, b) => a * b), long.Parse(entries["length"], System.Globalization.CultureInfo.InvariantCulture));
            if (alignment > 0)
            {
                Assert.Equal(0, long.Parse(entries["offset"], System.Globalization.CultureInfo.InvariantCulture) % alignment);
            }
        }

        Assert.True(new FileInfo(external).Length < 2048, "model.onnx should hold only the graph and small tensors");
    }

    [Fact]
    public void Small_tensors_stay_inline_and_no_empty_data_file_is_written()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DataType.Float, 2);
        g.Output("y", DataType.Float, [2], from: g.Add(x, g.Initializer("b", [1f, 2f], [2])));
        using var temp = new TempFolder();

        ModelWriter.Save(g, temp.Combine("model.onnx"), ExternalDataOptions.Optimum);

        Assert.False(File.Exists(temp.Combine(ExternalDataOptions.OptimumFileName)));
        Assert.Equal([4f, 6f], Run(temp.Combine("model.onnx"), Floats("x", [3f, 4f], 2))["y"].Data);
    }

    [Fact]
    public void Saving_with_external_data_leaves_the_builder_model_untouched()
    {
        var g = TwoLayerNet(DataType.Float);
        var model = g.Build();
        using var temp = new TempFolder();
        ModelWriter.Save(model, temp.Combine("model.onnx"), ExternalDataOptions.Optimum);

        Assert.All(model.Graph.Initializer, t => Assert.False(t.RawData.IsEmpty));
    }

    [Fact]
    public void Fp16_graph_runs_with_half_tensors_and_matches_the_fp32_graph()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        ModelWriter.Save(TwoLayerNet(DataType.Float), Path.Combine(dir, "fp32.onnx"));
        ModelWriter.Save(TwoLayerNet(DataType.Float16), Path.Combine(dir, "fp16.onnx"));
        var input = Seeded(128, seed: 2);

        var full = Run(Path.Combine(dir, "fp32.onnx"), Floats("x", input, 2, 64))["y"];
        var half = Run(Path.Combine(dir, "fp16.onnx"), Halves("x", input, 2, 64))["y"];

        Assert.Equal(typeof(Microsoft.ML.OnnxRuntime.Float16), half.ElementType);
        Assert.Equal([2, 16], half.Shape);
        for (var i = 0; i < full.Data.Length; i++)
        {
            Assert.True(MathF.Abs(full.Data[i] - half.Data[i]) < 0.01f, $"index {i}: {full.Data[i]} vs {half.Data[i]}");
        }

        var weights = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "fp16.onnx"))).Graph.Initializer;
        Assert.All(weights, t => Assert.Equal((int)DataType.Float16, t.DataType));
    }
}
