using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;
using WebStudio.Generation.Tests.Imaging;
using WebStudio.Testing;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Pipelines.PipelineVariantTests;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Every feature of the one pipeline runs on the tiny SDXL models: txt2img (fp32, fp16, the refiner),
/// img2img, inpainting (with a 9-channel SDXL inpaint UNet too), outpainting, hires fix, previews, prompt weighting,
/// prompt editing and long prompts.</summary>
[Trait("Capability", "UserModels")]
[Collection(TinyModelCollection.Name)]
public sealed class SdxlPipelineTests(TinyModelFolders models)
{
    private static readonly GenerationRequest Request = new()
    {
        Prompt = "a photo of a cat", NegativePrompt = "", Steps = 4, Guidance = 5, Width = 64, Height = 64, Seed = 7, Scheduler = "Euler",
    };

    public static TheoryData<string> Models() => ["base", "base-fp16", "refiner", "refiner-fp16"];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Txt2img_draws_the_same_image_for_a_seed_and_another_for_another(string name)
    {
        var model = models.Load(Onnx.TinySdxlTests.Xl(name));
        var pipeline = new StableDiffusionPipeline(model);

        using var first = await pipeline.RunAsync(Request);
        using var again = await pipeline.RunAsync(Request);
        using var other = await pipeline.RunAsync(Request with { Seed = 8 });

        Assert.Equal(ModelFamily.StableDiffusionXL, model.Config.Family);
        Assert.Equal(0.13025f, model.Config.ScalingFactor);
        Assert.Equal(Hash(first.Images[0].Image), Hash(again.Images[0].Image));
        Assert.NotEqual(Hash(first.Images[0].Image), Hash(other.Images[0].Image));
        Assert.True(Distinct(first.Images[0].Image) > 16, "a flat image");
    }

    [Fact]
    public async Task Batched_guidance_matches_one_row_at_a_time_on_a_UNet_fixed_at_batch_1()
    {
        // The fixed-batch UNet runs every row alone with its own pooled embeds and time ids; the batched one runs all four
        // rows (two images, unconditional and conditional) at once. Zeroed negatives and given ones both.
        var batched = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        var single = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase with { FixedBatch1 = true }));
        foreach (var negative in new[] { "", "blurry" })
        {
            var request = Request with { BatchSize = 2, NegativePrompt = negative };
            using var a = await batched.RunAsync(request);
            using var b = await single.RunAsync(request);
            for (var i = 0; i < 2; i++)
            {
                Assert.True(MaxPixelDifference(a.Images[i].Image, b.Images[i].Image) <= 2, $"negative '{negative}', image {i}: batched and per-row differ");
            }
        }
    }

    [Fact]
    public async Task The_pooled_embeds_and_time_ids_reach_the_UNet()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        using var empty = await pipeline.RunAsync(Request);
        using var given = await pipeline.RunAsync(Request with { NegativePrompt = "blurry" });
        using var wide = await pipeline.RunAsync(Request with { Width = 128 });

        // An empty negative prompt is zeros, not the encoded empty text.
        Assert.NotEqual(Hash(empty.Images[0].Image), Hash(given.Images[0].Image));
        // A wider image has other time ids (and so another picture, not the same one extended).
        using var wideLeft = wide.Images[0].Image.Clone(c => c.Crop(new Rectangle(0, 0, 64, 64)));
        Assert.NotEqual(Hash(empty.Images[0].Image), Hash(wideLeft));
    }

    [Fact]
    public async Task Img2img_starts_from_the_image_and_runs_strength_times_the_steps()
    {
        // The tiny VAE does not reconstruct images, so the proof is the schedule and the dependence on the source.
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        using var source = TestImages.Photo(64, 64, seed: 5);
        using var otherSource = TestImages.Photo(64, 64, seed: 15);
        using var light = await pipeline.RunAsync(Request with { InitImage = source, Strength = 0.3f, Steps = 10 });
        using var fromOther = await pipeline.RunAsync(Request with { InitImage = otherSource, Strength = 0.3f, Steps = 10 });
        using var txt2img = await pipeline.RunAsync(Request with { Steps = 10 });

        Assert.Equal(3, light.Timings.Steps);
        Assert.NotEqual(Hash(light.Images[0].Image), Hash(fromOther.Images[0].Image));
        Assert.NotEqual(Hash(light.Images[0].Image), Hash(txt2img.Images[0].Image));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inpainting_keeps_every_pixel_outside_the_mask(bool nineChannelUNet)
    {
        var variant = TinyModelVariant.SdxlBase with { Inpainting = nineChannelUNet };
        var model = models.Load(variant);
        var pipeline = new StableDiffusionPipeline(model);
        using var source = TestImages.Photo(64, 64, seed: 6);
        using var mask = new Image<L8>(64, 64, new L8(0));
        for (var y = 16; y < 48; y++)
        {
            for (var x = 16; x < 48; x++)
            {
                mask[x, y] = new L8(255);
            }
        }

        using var result = await pipeline.RunAsync(Request with { InitImage = source, Mask = mask, Strength = 1f });

        Assert.Equal(nineChannelUNet ? 9 : 4, model.UNet.InChannels);
        var outside = TestImages.MaxDifference(source, result.Images[0].Image, (x, y) => x < 8 || y < 8 || x >= 56 || y >= 56);
        Assert.Equal(0, outside);
        Assert.True(TestImages.MaxDifference(source, result.Images[0].Image, (x, y) => x is >= 24 and < 40 && y is >= 24 and < 40) > 0);
    }

    [Fact]
    public async Task Outpainting_extends_the_canvas_and_keeps_the_original()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        using var original = TestImages.Photo(64, 64, seed: 9);
        using var canvas = Outpainting.Extend(original, left: 0, top: 0, right: 64, bottom: 0);

        using var result = await pipeline.RunAsync(Request with { InitImage = canvas.Image, Mask = canvas.Mask, Width = 128, Height = 64, Strength = 1f });

        Assert.Equal((128, 64), (result.Images[0].Image.Width, result.Images[0].Image.Height));
        using var kept = result.Images[0].Image.Clone(c => c.Crop(new Rectangle(0, 0, 48, 64)));
        using var originalPart = original.Clone(c => c.Crop(new Rectangle(0, 0, 48, 64)));
        Assert.Equal(0, TestImages.MaxDifference(originalPart, kept));
    }

    [Fact]
    public async Task Hires_fix_runs_its_second_pass_at_twice_the_size()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        using var first = await pipeline.RunAsync(Request);
        // At the default strength (0.05) Request's 4 steps would denoise none, which the pipeline refuses.
        var second = HiresFix.Plan(Request, first.Images[0].Image, factor: 2, strength: 0.5f);
        try
        {
            using var result = await pipeline.RunAsync(second);
            Assert.Equal((128, 128), (result.Images[0].Image.Width, result.Images[0].Image.Height));
            Assert.Equal(2, result.Timings.Steps); // 4 steps × 0.5
            Assert.True(Distinct(result.Images[0].Image) > 16);
        }
        finally
        {
            second.InitImage?.Dispose();
        }
    }

    [Fact]
    public async Task Previews_use_the_SDXL_factors_or_the_TAESDXL_configured_for_the_family()
    {
        using var temp = new TempFolder();
        var model = models.Load(TinyModelVariant.SdxlBase);
        var pipeline = new StableDiffusionPipeline(model);
        var sdDecoder = temp.Combine("taesd");
        var xlDecoder = temp.Combine("taesdxl");
        TinyTaesd.Write(xlDecoder, TinyTaesd.BuildDecoder(channels: 8));
        var load = new ModelLoadOptions { UseCuda = false };
        using var projection = new PreviewDecoders(new PreviewOptions(), load, NullLogger.Instance);
        using var configured = new PreviewDecoders(
            PreviewOptions.Parse("Auto", 1, new Dictionary<string, string?> { ["sd"] = sdDecoder, ["SDXL"] = xlDecoder }), load, NullLogger.Instance);

        var projected = await Record(pipeline, projection.StartRun(pipeline));
        var decoded = await Record(pipeline, configured.StartRun(pipeline));

        Assert.Equal(PreviewKind.Projection, projection.For(pipeline).Kind);
        Assert.Equal(PreviewKind.TinyAutoencoder, configured.For(pipeline).Kind);
        Assert.Equal(Request.Steps, projected.Frames.Count);
        Assert.All(projected.Frames, f => Assert.Equal((8, 8), (f.Width, f.Height)));
        Assert.All(decoded.Frames, f => Assert.Equal((64, 64), (f.Width, f.Height)));
        var xlFactors = LatentRgbPreview.Decode(projected.LastPrediction!, 0, ModelFamily.StableDiffusionXL);
        var sdFactors = LatentRgbPreview.Decode(projected.LastPrediction!, 0, ModelFamily.StableDiffusion);
        Assert.Equal(xlFactors.Rgb, projected.Frames[^1].Rgb);
        Assert.NotEqual(sdFactors.Rgb, projected.Frames[^1].Rgb);
    }

    [Fact]
    public async Task Prompt_weighting_and_editing_change_the_image_and_an_edit_that_never_switches_does_not()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        using var plain = await pipeline.RunAsync(Request);
        using var weighted = await pipeline.RunAsync(Request with { Prompt = "a photo of a (cat:1.6)" });
        using var edited = await pipeline.RunAsync(Request with { Prompt = "a photo of a [cat:dog:2]" });
        using var never = await pipeline.RunAsync(Request with { Prompt = "a photo of a [cat:dog:99]" });

        Assert.NotEqual(Hash(plain.Images[0].Image), Hash(weighted.Images[0].Image));
        Assert.NotEqual(Hash(plain.Images[0].Image), Hash(edited.Images[0].Image));
        Assert.Equal(Hash(plain.Images[0].Image), Hash(never.Images[0].Image));
    }

    [Fact]
    public async Task A_window_repeated_after_BREAK_draws_what_the_window_alone_draws_on_both_encoders()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        var request = Request with { NegativePrompt = "blurry" };
        using var once = await pipeline.RunAsync(request);
        using var twice = await pipeline.RunAsync(request with { Prompt = "a photo of a cat BREAK a photo of a cat" });
        using var other = await pipeline.RunAsync(request with { Prompt = "a photo of a cat BREAK a red horse" });

        Assert.True(MaxPixelDifference(once.Images[0].Image, twice.Images[0].Image) <= 2, "a repeated window changed the image");
        Assert.NotEqual(Hash(once.Images[0].Image), Hash(other.Images[0].Image));
    }

    private static async Task<FrameRecorder> Record(StableDiffusionPipeline pipeline, StepPreviews previews)
    {
        var callback = new FrameRecorder(previews);
        using var result = await pipeline.RunAsync(Request, callback);
        return callback;
    }

    private sealed class FrameRecorder(StepPreviews previews) : IStepCallback
    {
        public List<RgbFrame> Frames { get; } = [];

        public Latents? LastPrediction { get; private set; }

        public bool OnStep(StepProgress progress)
        {
            LastPrediction = progress.PredictedOriginal;
            Frames.Add(previews.Frame(progress));
            return true;
        }
    }
}
