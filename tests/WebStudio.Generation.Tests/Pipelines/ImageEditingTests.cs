using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>img2img and inpainting through the one pipeline, on tiny models of each inpainting kind.</summary>
[Collection(TinyModelCollection.Name)]
public class ImageEditingTests(TinyModelFolders models)
{
    internal static Image<Rgb24> Source()
    {
        var image = new Image<Rgb24>(64, 64, new Rgb24(30, 60, 200));
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                if ((x - 32) * (x - 32) + (y - 32) * (y - 32) < 18 * 18)
                {
                    image[x, y] = new Rgb24(220, 30, 30);
                }
            }
        }

        return image;
    }

    internal static Image<L8> CentreMask()
    {
        var mask = new Image<L8>(64, 64, new L8(0));
        for (var y = 16; y < 40; y++)
        {
            for (var x = 20; x < 44; x++)
            {
                mask[x, y] = new L8(255);
            }
        }

        return mask;
    }

    [Theory]
    [InlineData("Euler")]
    [InlineData("DDIM")]
    [InlineData("DPM++ 2M")]
    public async Task Strength_zero_returns_the_input_after_a_VAE_round_trip(string scheduler)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var source = Source();
        var request = new GenerationRequest { Prompt = "anything", Steps = 10, Width = 64, Height = 64, Scheduler = scheduler, InitImage = source, Strength = 0f };
        var steps = 0;
        using var result = await pipeline.RunAsync(request, new CountingCallback(_ => steps++));

        // No step runs: the image is exactly the VAE's own reconstruction of the source.
        Assert.Equal(0, steps);
        var roundTrip = pipeline.DecodeLatents(EncodeForTest(pipeline, source));
        using var expected = WebStudio.Generation.Tensors.ImageTensors.ToImage(roundTrip);
        Assert.Equal(PipelineVariantTests.Hash(expected), PipelineVariantTests.Hash(result.Images[0].Image));
    }

    [Theory]
    [InlineData(0.5f, 5)]
    [InlineData(0.25f, 2)]
    [InlineData(1f, 10)]
    public async Task Only_strength_times_steps_steps_run(float strength, int expectedSteps)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var source = Source();
        foreach (var scheduler in SchedulerNames.All.Where(s => s != "PLMS" && s != "LCM"))
        {
            var (calls, steps) = (0, new SortedSet<(int Index, int Total)>());
            using var result = await pipeline.RunAsync(
                new GenerationRequest { Prompt = "x", Steps = 10, Width = 64, Height = 64, Scheduler = scheduler, InitImage = source, Strength = strength },
                new CountingCallback(progress =>
                {
                    calls++;
                    steps.Add((progress.StepIndex, progress.TotalSteps));
                }));
            Assert.True(Enumerable.Range(0, expectedSteps).Select(i => (i, expectedSteps)).SequenceEqual(steps), $"{scheduler}: steps {string.Join(", ", steps)} ran, expected {expectedSteps}");
            // Heun and DPM2 ask the model twice a step but at the last (diffusers' img2img with a second-order scheduler).
            var order = SchedulerFactory.Create(scheduler, SchedulerConfig.StableDiffusionDefault).Order;
            Assert.Equal(order == 2 ? 2 * expectedSteps - 1 : expectedSteps, calls);
        }
    }

    [Fact]
    public async Task Img2img_at_low_strength_stays_closer_to_the_source_than_at_high_strength()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.Optimum));
        using var source = Source();
        var request = new GenerationRequest { Prompt = "x", Steps = 10, Width = 64, Height = 64, Scheduler = "Euler", InitImage = source };
        using var low = await pipeline.RunAsync(request with { Strength = 0.2f });
        using var high = await pipeline.RunAsync(request with { Strength = 0.9f });
        Assert.True(MeanDifference(low.Images[0].Image, source) < MeanDifference(high.Images[0].Image, source));
    }

    public static TheoryData<bool, string> InpaintCases() => new()
    {
        { false, "Euler a" }, { false, "DDIM" }, { false, "DPM++ 2M Karras" }, { true, "Euler a" }, { true, "DDIM" },
    };

    [Theory]
    [MemberData(nameof(InpaintCases))]
    public async Task Inpainting_leaves_every_pixel_outside_the_mask_byte_identical(bool nineChannelUnet, string scheduler)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(nineChannelUnet ? TinyModelVariant.Inpaint : TinyModelVariant.DiffusersScript));
        using var source = Source();
        using var mask = CentreMask();
        using var result = await pipeline.RunAsync(new GenerationRequest
        {
            Prompt = "a blue square", Steps = 6, Width = 64, Height = 64, Scheduler = scheduler, BatchSize = 2,
            InitImage = source, Mask = mask, Strength = 1f,
        });

        foreach (var image in result.Images.Select(i => i.Image))
        {
            var changedInside = ChangedInsideKeepingOutside(source, image, mask);
            Assert.True(changedInside > 100, $"only {changedInside} masked pixels changed");
        }
    }

    /// <summary>Asserts that every pixel outside the mask is the source's, and counts the masked pixels that changed.</summary>
    internal static int ChangedInsideKeepingOutside(Image<Rgb24> source, Image<Rgb24> image, Image<L8> mask)
    {
        var changedInside = 0;
        for (var y = 0; y < source.Height; y++)
        {
            for (var x = 0; x < source.Width; x++)
            {
                if (mask[x, y].PackedValue == 0)
                {
                    Assert.Equal(source[x, y], image[x, y]);
                }
                else if (!image[x, y].Equals(source[x, y]))
                {
                    changedInside++;
                }
            }
        }

        return changedInside;
    }

    [Fact]
    public async Task Editing_without_a_vae_encoder_is_a_clear_error()
    {
        var folder = models.Write(TinyModelVariant.DiffusersScript, "no-encoder");
        if (Directory.Exists(Path.Combine(folder, "vae_encoder")))
        {
            Directory.Delete(Path.Combine(folder, "vae_encoder"), recursive: true);
        }

        using var model = WebStudio.Generation.Models.StableDiffusionModel.Load(folder, new() { UseCuda = false });
        using var source = Source();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new StableDiffusionPipeline(model).RunAsync(new GenerationRequest { Prompt = "x", Width = 64, Height = 64, Scheduler = "Euler", InitImage = source }));
        Assert.Contains("vae_encoder", error.Message);
    }

    [Fact]
    public void A_mask_of_another_size_is_refused_before_any_work()
    {
        using var source = Source();
        using var mask = new Image<L8>(32, 32);
        var problems = GenerationRequestValidator.Validate(new GenerationRequest { Prompt = "x", Width = 64, Height = 64, Scheduler = "Euler", InitImage = source, Mask = mask });
        Assert.Equal("mask", Assert.Single(problems).Field);
    }

    private static WebStudio.Generation.Tensors.Latents EncodeForTest(StableDiffusionPipeline pipeline, Image<Rgb24> image)
    {
        var model = pipeline.Model;
        var encoded = model.VaeEncoder!.Encode(WebStudio.Generation.Tensors.ImageTensors.FromImage(image), null, null);
        return encoded.WithData(encoded.Data.Select(v => v * model.Config.ScalingFactor).ToArray());
    }

    private static double MeanDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        long sum = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                sum += Math.Abs(a[x, y].R - b[x, y].R) + Math.Abs(a[x, y].G - b[x, y].G) + Math.Abs(a[x, y].B - b[x, y].B);
            }
        }

        return sum / (3.0 * a.Width * a.Height);
    }

    private sealed class CountingCallback(Action<StepProgress> onStep) : IStepCallback
    {
        public bool OnStep(StepProgress progress)
        {
            onStep(progress);
            return true;
        }
    }
}
