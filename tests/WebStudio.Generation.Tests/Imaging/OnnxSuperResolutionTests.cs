using SixLabors.ImageSharp;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tests.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class OnnxSuperResolutionTests : IDisposable
{
    private static readonly ModelLoadOptions CpuOnly = new() { UseCuda = false, IntraOpThreads = 1 };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Detects_the_scale_with_a_probe_run()
    {
        using var model = OnnxSuperResolution.Load(SuperResolutionModels.Write(_folder.Path, "x4.onnx"), CpuOnly);
        Assert.Equal(SuperResolutionModels.Scale, model.Scale);
        Assert.Equal("x4.onnx", model.DisplayName);
        Assert.Equal(ExecutionProviders.Cpu, model.Provider);
    }

    [Fact]
    public void Tiled_upscaling_matches_whole_image_inference_away_from_the_seams()
    {
        var path = SuperResolutionModels.Write(_folder.Path, "x4.onnx");
        using var image = TestImages.Photo(72, 56, seed: 10);
        const int tile = 32, overlap = 8;
        using var tiledModel = OnnxSuperResolution.Load(path, CpuOnly, tileSize: tile, overlap: overlap);
        using var wholeModel = OnnxSuperResolution.Load(path, CpuOnly, tileSize: 4096);

        using var tiled = tiledModel.Upscale(image);
        using var whole = wholeModel.Upscale(image);

        Assert.Equal(new Size(288, 224), tiled.Size());
        Assert.Equal(whole.Size(), tiled.Size());
        var xs = TileLayout.Starts(image.Width, tile, overlap);
        var ys = TileLayout.Starts(image.Height, tile, overlap);
        Assert.True(xs.Count > 1 && ys.Count > 1, "the image must span several tiles each way");

        // Outside a band of (receptive radius + 1) input pixels around every inner tile edge, each tile saw
        // exactly what the whole image shows, so only the 8-bit rounding of the blend may differ.
        var band = (SuperResolutionModels.ReceptiveRadius + 1) * SuperResolutionModels.Scale;
        var xEdges = InnerEdges(xs, tile, image.Width).Select(e => e * SuperResolutionModels.Scale).ToArray();
        var yEdges = InnerEdges(ys, tile, image.Height).Select(e => e * SuperResolutionModels.Scale).ToArray();
        bool AwayFromSeams(int x, int y) =>
            xEdges.All(e => Math.Abs(x - e) >= band) && yEdges.All(e => Math.Abs(y - e) >= band);

        Assert.InRange(TestImages.MaxDifference(tiled, whole, AwayFromSeams), 0, 2);
        // Near the seams the cross-fade keeps the tiles' border errors small too (hard seams, overlap 0,
        // measured max 19 and mean 0.37 on this image; the blend measured max 3 and mean 0.05).
        Assert.InRange(TestImages.MeanDifference(tiled, whole), 0, 0.15);
        Assert.InRange(TestImages.MaxDifference(tiled, whole), 0, 8);
    }

    [Fact]
    public void Runs_a_float16_model()
    {
        var fp32 = SuperResolutionModels.Write(_folder.Path, "x4.onnx");
        var fp16 = SuperResolutionModels.Write(_folder.Path, "x4_fp16.onnx", DataType.Float16);
        using var image = TestImages.Photo(40, 24, seed: 11);
        using var fullModel = OnnxSuperResolution.Load(fp32, CpuOnly, tileSize: 16, overlap: 4);
        using var halfModel = OnnxSuperResolution.Load(fp16, CpuOnly, tileSize: 16, overlap: 4);

        using var full = fullModel.Upscale(image);
        using var half = halfModel.Upscale(image);

        Assert.Equal(4, halfModel.Scale);
        Assert.Equal(new Size(160, 96), half.Size());
        // Same seeded weights rounded to half precision: the pictures agree within a few levels.
        Assert.InRange(TestImages.MaxDifference(full, half), 0, 3);
        Assert.InRange(TestImages.MeanDifference(full, half), 0, 0.2);
    }

    [Fact]
    public void Pads_the_image_to_a_fixed_input_size()
    {
        var path = SuperResolutionModels.Write(_folder.Path, "x4_fixed.onnx", fixedSize: 32);
        using var image = TestImages.Photo(40, 24, seed: 12);
        using var model = OnnxSuperResolution.Load(path, CpuOnly, overlap: 8);

        using var result = model.Upscale(image);

        Assert.Equal(4, model.Scale);
        Assert.Equal((32, 32), (model.TileWidth, model.TileHeight));
        Assert.Equal(new Size(160, 96), result.Size());
    }

    [Fact]
    public void Reports_progress_and_honours_cancellation()
    {
        using var model = OnnxSuperResolution.Load(SuperResolutionModels.Write(_folder.Path, "x4.onnx"), CpuOnly, tileSize: 16, overlap: 4);
        using var image = TestImages.Photo(40, 24, seed: 13);
        var reports = new List<float>();
        using var result = model.Upscale(image, progress: new SynchronousProgress(reports));
        Assert.Equal(1f, reports[^1]);
        Assert.True(reports.Count > 1);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.Upscale(image, cancelled.Token));
    }

    [Fact]
    public void Refuses_a_graph_that_is_not_super_resolution_naming_the_file()
    {
        var error = Assert.Throws<ModelLoadException>(() => OnnxSuperResolution.Load(SuperResolutionModels.WriteTwoInputs(_folder.Path), CpuOnly));
        Assert.Contains("two_inputs.onnx", error.Message);
        Assert.Contains("a: Float[1,3,?,?]", error.Message);
        Assert.Contains("b: Float[1,3,?,?]", error.Message);
    }

    [Fact]
    public void Refuses_a_missing_file()
    {
        var error = Assert.Throws<ModelLoadException>(() => OnnxSuperResolution.Load(_folder.Combine("absent.onnx"), CpuOnly));
        Assert.Contains("absent.onnx", error.Message);
    }

    // Input coordinates where one tile ends or the next begins, inside the image.
    private static IEnumerable<int> InnerEdges(IReadOnlyList<int> starts, int tile, int length) =>
        starts.SelectMany(s => new[] { s, s + tile }).Where(e => e > 0 && e < length).Distinct();

    private sealed class SynchronousProgress(List<float> reports) : IProgress<float>
    {
        public void Report(float value) => reports.Add(value);
    }
}
