using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Testing;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Previews;

[Trait("Capability", "UserModels")]
public sealed class PreviewDecodersTests : IDisposable
{
    private static readonly ModelLoadOptions OnCpu = new() { UseCuda = false };

    private readonly TempFolder _temp = new();
    private readonly RecordingLogger _log = new();

    [Fact]
    public async Task A_model_with_vae_approx_previews_through_it_at_full_size()
    {
        var folder = ModelFolder("own");
        TinyTaesd.Write(Path.Combine(folder, TinyAutoencoderDecoder.FolderName), TinyTaesd.BuildDecoder(channels: 8));
        using var model = StableDiffusionModel.Load(folder, OnCpu);
        using var decoders = new PreviewDecoders(new PreviewOptions(), OnCpu, _log);
        var pipeline = new StableDiffusionPipeline(model);

        var frames = await RunWithPreviews(pipeline, decoders.StartRun(pipeline));

        Assert.Equal(PreviewKind.TinyAutoencoder, decoders.For(pipeline).Kind);
        Assert.All(frames, f => Assert.Equal((64, 64), (f.Width, f.Height)));
    }

    [Fact]
    public async Task A_model_without_a_tiny_decoder_previews_through_the_projection()
    {
        using var model = StableDiffusionModel.Load(ModelFolder("plain"), OnCpu);
        using var decoders = new PreviewDecoders(new PreviewOptions(), OnCpu, _log);
        var pipeline = new StableDiffusionPipeline(model);

        var frames = await RunWithPreviews(pipeline, decoders.StartRun(pipeline));

        Assert.Equal(PreviewKind.Projection, decoders.For(pipeline).Kind);
        Assert.All(frames, f => Assert.Equal((8, 8), (f.Width, f.Height)));
    }

    [Fact]
    public void The_folder_configured_for_the_family_serves_models_without_their_own()
    {
        var configured = _temp.Combine("taesd");
        var configuredPath = TinyTaesd.Write(configured, TinyTaesd.BuildDecoder(channels: 8));
        var own = ModelFolder("own");
        TinyTaesd.Write(Path.Combine(own, TinyAutoencoderDecoder.FolderName), TinyTaesd.BuildDecoder(channels: 8));
        var sdxlDecoder = _temp.Combine("taesdxl");
        using var decoders = new PreviewDecoders(
            PreviewOptions.Parse("Auto", 1, new Dictionary<string, string?> { ["sd"] = configured, ["SDXL"] = sdxlDecoder }), OnCpu, _log);

        Assert.Equal(configuredPath, decoders.TinyDecoderPath(_temp.Combine("no-decoder"), ModelFamily.StableDiffusion));
        Assert.Equal(Path.Combine(sdxlDecoder, "model.onnx"), decoders.TinyDecoderPath(_temp.Combine("no-decoder"), ModelFamily.StableDiffusionXL));
        Assert.Equal(Path.Combine(own, "vae_approx", "model.onnx"), decoders.TinyDecoderPath(own, ModelFamily.StableDiffusion));

        using var model = StableDiffusionModel.Load(ModelFolder("plain"), OnCpu);
        Assert.Equal(PreviewKind.TinyAutoencoder, decoders.For(new StableDiffusionPipeline(model)).Kind);
    }

    [Fact]
    public void The_configured_mode_overrides_the_choice()
    {
        var folder = ModelFolder("own");
        TinyTaesd.Write(Path.Combine(folder, TinyAutoencoderDecoder.FolderName), TinyTaesd.BuildDecoder(channels: 8));
        using var model = StableDiffusionModel.Load(folder, OnCpu);
        var pipeline = new StableDiffusionPipeline(model);

        using var projection = new PreviewDecoders(new PreviewOptions { Decoder = PreviewDecoderMode.Projection }, OnCpu, _log);
        using var vae = new PreviewDecoders(new PreviewOptions { Decoder = PreviewDecoderMode.Vae }, OnCpu, _log);

        Assert.Equal(PreviewKind.Projection, projection.For(pipeline).Kind);
        Assert.Equal(PreviewKind.Vae, vae.For(pipeline).Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_or_malformed_vae_approx_falls_back_to_the_projection_with_the_reason_logged_once(bool malformed)
    {
        var folder = ModelFolder("broken");
        var path = Path.Combine(folder, TinyAutoencoderDecoder.FolderName, "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (malformed)
        {
            File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        }

        using var model = StableDiffusionModel.Load(folder, OnCpu);
        using var decoders = new PreviewDecoders(new PreviewOptions(), OnCpu, _log);
        var pipeline = new StableDiffusionPipeline(model);

        var frames = await RunWithPreviews(pipeline, decoders.StartRun(pipeline));
        _ = decoders.For(pipeline);

        Assert.Equal(8, frames.Count);
        Assert.Equal(PreviewKind.Projection, decoders.For(pipeline).Kind);
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(path, warning.Message);
        Assert.Contains("latent→RGB projection", warning.Message);
    }

    public void Dispose() => _temp.Dispose();

    private string ModelFolder(string name)
    {
        var folder = _temp.Combine(name);
        TinyStableDiffusion.Write(folder, TinyModelVariant.DiffusersScript);
        return folder;
    }

    private static async Task<List<RgbFrame>> RunWithPreviews(StableDiffusionPipeline pipeline, StepPreviews previews)
    {
        var callback = new FrameRecorder(previews);
        using var result = await pipeline.RunAsync(new GenerationRequest { Prompt = "a ring", Steps = 8, Width = 64, Height = 64, Seed = 3 }, callback);
        return callback.Frames;
    }

    private sealed class FrameRecorder(StepPreviews previews) : IStepCallback
    {
        public List<RgbFrame> Frames { get; } = [];

        public bool OnStep(StepProgress progress)
        {
            Frames.Add(previews.Frame(progress));
            return true;
        }
    }
}
