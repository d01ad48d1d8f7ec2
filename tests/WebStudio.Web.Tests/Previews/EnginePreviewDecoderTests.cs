using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;
using WebStudio.Studio;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Previews;

/// <summary>The studio's engine draws previews as Generation:PreviewDecoder and PreviewEvery say, through a model's
/// vae_approx/ when it has one.</summary>
[Trait("Capability", "UserModels")]
public sealed class EnginePreviewDecoderTests : IDisposable
{
    private readonly TempFolder _models = new();

    public EnginePreviewDecoderTests()
    {
        var folder = _models.Combine("tiny");
        TinyStableDiffusion.Write(folder, TinyModelVariant.DiffusersScript);
        TinyTaesd.Write(Path.Combine(folder, TinyAutoencoderDecoder.FolderName), TinyTaesd.BuildDecoder(channels: 8));
    }

    [Fact]
    public async Task A_model_with_vae_approx_streams_full_size_frames_fresh_every_period()
    {
        using var engine = Engine(new GenerationOptions { PreviewEvery = 4 });

        var frames = await PreviewsOf(engine, steps: 10);

        Assert.All(frames, f => Assert.Equal((64, 64), (f.Width, f.Height)));
        var fresh = Enumerable.Range(0, frames.Count).Where(i => i == 0 || !ReferenceEquals(frames[i].Rgb, frames[i - 1].Rgb));
        Assert.Equal(new[] { 0, 4, 8, 9 }, fresh);
    }

    [Fact]
    public async Task The_projection_setting_keeps_latent_resolution_frames_on_every_step()
    {
        using var engine = Engine(new GenerationOptions { PreviewDecoder = "Projection" });

        var frames = await PreviewsOf(engine, steps: 4);

        Assert.All(frames, f => Assert.Equal((8, 8), (f.Width, f.Height)));
        Assert.Equal(4, frames.Select(f => f.Rgb).Distinct().Count());
    }

    [Fact]
    public void Bad_preview_settings_stop_the_studio_at_start_with_each_key_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Generation:PreviewDecoder"] = "Taesd",
            ["Generation:PreviewEvery"] = "0",
            ["Generation:PreviewDecoders:flux"] = "/models/taef1",
            ["Generation:PreviewIntervalMs"] = "-5",
        }).Build();
        using var services = new ServiceCollection().AddStudioCore(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GenerationOptions>>().Value);

        Assert.Contains("Generation:PreviewDecoder is 'Taesd'; it must be one of Auto, Projection, Vae.", error.Message);
        Assert.Contains("Generation:PreviewEvery is 0", error.Message);
        Assert.Contains("Generation:PreviewDecoders:flux names no model family", error.Message);
        Assert.Contains("Generation:PreviewIntervalMs is -5; it must be a number of milliseconds from 0 to 10000.", error.Message);
    }

    [Theory]
    [Trait("Capability", "ScaleOut")]
    [InlineData("-3")]
    [InlineData("20")]
    public void A_compute_nice_value_outside_0_to_19_stops_the_studio_at_start(string nice)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Generation:ComputeNice"] = nice }).Build();
        using var services = new ServiceCollection().AddStudioCore(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GenerationOptions>>().Value);

        Assert.Contains($"Generation:ComputeNice is {nice}; it must be a nice value from 0 (the process's own priority) to 19 (the lowest).", error.Message);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("32")]
    [InlineData("-512")]
    public void A_vae_tile_size_that_is_not_a_multiple_of_8_from_64_stops_the_studio_at_start(string tileSize)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Generation:VaeTileSize"] = tileSize }).Build();
        using var services = new ServiceCollection().AddStudioCore(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GenerationOptions>>().Value);

        Assert.Contains($"Generation:VaeTileSize is {tileSize}; it must be 0 (whole images) or a tile side in pixels, a multiple of 8 from 64.", error.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("512", 512)]
    public void A_valid_vae_tile_size_reaches_the_models_load_options(string tileSize, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Generation:VaeTileSize"] = tileSize }).Build();
        using var services = new ServiceCollection().AddStudioCore(configuration).BuildServiceProvider();

        Assert.Equal(expected, services.GetRequiredService<IOptions<GenerationOptions>>().Value.LoadOptions().VaeTileSize);
    }

    public void Dispose() => _models.Dispose();

    private OnnxGenerationEngine Engine(GenerationOptions options)
    {
        options.ModelsPath = _models.Path;
        options.UseCuda = false;
        return new OnnxGenerationEngine(Microsoft.Extensions.Options.Options.Create(options), new ComputeThreads(0), NullLogger<ModelCache>.Instance);
    }

    private static async Task<List<PreviewPixels>> PreviewsOf(OnnxGenerationEngine engine, int steps)
    {
        var frames = new List<PreviewPixels>();
        var spec = StudioUserClient.Parameters("a red circle", steps: steps);
        using var _ = new ImagesOwner(await engine.RunAsync(new DiffusionRun(spec, 64, 64), step =>
        {
            frames.Add(step.Preview());
            return true;
        }, CancellationToken.None));
        return frames;
    }

    private sealed class ImagesOwner(IReadOnlyList<EngineImage> images) : IDisposable
    {
        public void Dispose()
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }
}
