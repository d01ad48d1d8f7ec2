using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Onnx;
using WebStudio.SdSynth;

namespace WebStudio.SdSynth.Tests;

/// <summary>The miniature SD 1.5 folder, fp32 and fp16 with external data, runs through the core's loader and pipeline.</summary>
[Collection(MiniatureCollection.Name)]
public class MiniaturePipelineTests(MiniatureFolders folders)
{
    private static readonly ModelLoadOptions CpuOnly = new() { UseCuda = false };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_steps_with_guidance_give_an_image_and_finite_latents(bool fp16)
    {
        using var model = StableDiffusionModel.Load(folders.Get(fp16).Folder, CpuOnly);
        var pipeline = new StableDiffusionPipeline(model);
        var steps = new FiniteLatents();

        using var result = await pipeline.RunAsync(new GenerationRequest
        {
            Prompt = "a photo of a red horse",
            NegativePrompt = "blurry",
            Steps = 2,
            Guidance = 7.5f,
            Seed = 7,
            Width = 64,
            Height = 64,
            Scheduler = "Euler",
        }, steps);

        Assert.Equal(2, steps.Count);
        Assert.True(steps.AllFinite, "the latents held NaN or infinity");
        var image = Assert.Single(result.Images).Image;
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(2, result.Timings.Steps);
        Assert.True(model.UNet.HasDynamicBatch);
    }

    [Fact]
    public void A_missing_external_data_file_is_named()
    {
        var folder = folders.Copy(fp16: true, "missing-data");
        File.Delete(Path.Combine(folder, SynthComponents.UNet, ExternalDataOptions.OptimumFileName));

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, CpuOnly));
        Assert.Contains("unet/model.onnx_data", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void A_truncated_external_data_file_is_named()
    {
        var folder = folders.Copy(fp16: false, "truncated-data");
        using (var data = File.OpenWrite(Path.Combine(folder, SynthComponents.UNet, ExternalDataOptions.OptimumFileName)))
        {
            data.SetLength(data.Length - 4096);
        }

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, CpuOnly));
        Assert.Contains("unet/model.onnx_data", error.Message);
        Assert.Contains("truncated", error.Message);
    }
}
