using System.Security.Cryptography;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>The whole pipeline on every exporter variant, every scheduler, CFG on and off, batch 1 and 2.</summary>
[Collection(TinyModelCollection.Name)]
public class PipelineVariantTests(TinyModelFolders models)
{
    public static TheoryData<int, string> VariantsBySchedulers()
    {
        var data = new TheoryData<int, string>();
        for (var v = 0; v < TinyModelVariant.All.Count; v++)
        {
            foreach (var scheduler in SchedulerNames.All)
            {
                data.Add(v, scheduler);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsBySchedulers))]
    public async Task Every_variant_runs_every_scheduler_with_and_without_guidance(int variantIndex, string scheduler)
    {
        var variant = TinyModelVariant.All[variantIndex];
        var pipeline = new StableDiffusionPipeline(models.Load(variant));
        var request = new GenerationRequest
        {
            Prompt = "a red circle", NegativePrompt = "blue", Steps = 4, Guidance = 7.5f, Seed = 11,
            Width = 64, Height = 64, Scheduler = scheduler, BatchSize = 2,
        };

        using var guided = await pipeline.RunAsync(request);
        Assert.Equal(2, guided.Images.Count);
        Assert.Equal([11L, 12L], guided.Images.Select(i => i.Seed));
        Assert.All(guided.Images, i => Assert.Equal((64, 64), (i.Image.Width, i.Image.Height)));
        Assert.True(Distinct(guided.Images[0].Image) > 1, "the image is a flat colour");
        Assert.NotEqual(Hash(guided.Images[0].Image), Hash(guided.Images[1].Image));

        using var unguided = await pipeline.RunAsync(request with { Guidance = 1f, BatchSize = 1 });
        Assert.Single(unguided.Images);
        if (!variant.Lcm)
        {
            // Without CFG the negative prompt is unused, so the same seed gives another image than with CFG.
            Assert.NotEqual(Hash(guided.Images[0].Image), Hash(unguided.Images[0].Image));
        }
    }

    [Fact]
    public async Task The_same_request_gives_byte_identical_images_and_another_seed_does_not()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var request = new GenerationRequest { Prompt = "a star", Steps = 5, Width = 64, Height = 64, Seed = 3, Scheduler = "Euler a" };
        using var first = await pipeline.RunAsync(request);
        using var second = await pipeline.RunAsync(request);
        using var other = await pipeline.RunAsync(request with { Seed = 4 });
        Assert.Equal(Hash(first.Images[0].Image), Hash(second.Images[0].Image));
        Assert.NotEqual(Hash(first.Images[0].Image), Hash(other.Images[0].Image));
    }

    [Fact]
    public async Task Guidance_in_one_batch_of_two_equals_guidance_in_two_runs_of_one()
    {
        // Same seed and architecture: the only difference is the fixed batch of the UNet export.
        var dynamic = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var fixedBatch = new StableDiffusionPipeline(models.Load(TinyModelVariant.FixedBatch));
        var request = new GenerationRequest { Prompt = "two squares", NegativePrompt = "circle", Steps = 6, Guidance = 6, Width = 64, Height = 64, Seed = 5, Scheduler = "DDIM", BatchSize = 2 };
        using var a = await dynamic.RunAsync(request);
        using var b = await fixedBatch.RunAsync(request);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(MaxPixelDifference(a.Images[i].Image, b.Images[i].Image) <= 2, "batched CFG and per-sample CFG differ");
        }
    }

    [Fact]
    public async Task Prompt_weights_change_the_image()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var request = new GenerationRequest { Prompt = "red circle", Steps = 4, Width = 64, Height = 64, Seed = 9, Scheduler = "Euler" };
        using var plain = await pipeline.RunAsync(request);
        using var weighted = await pipeline.RunAsync(request with { Prompt = "(red:1.5) circle" });
        Assert.NotEqual(Hash(plain.Images[0].Image), Hash(weighted.Images[0].Image));
    }

    [Fact]
    public async Task Prompt_editing_switches_the_text_during_the_run()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var request = new GenerationRequest { Prompt = "red circle", NegativePrompt = "blue", Steps = 6, Guidance = 7, Width = 64, Height = 64, Seed = 9, Scheduler = "Euler" };
        using var red = await pipeline.RunAsync(request);
        using var green = await pipeline.RunAsync(request with { Prompt = "green star" });
        using var edited = await pipeline.RunAsync(request with { Prompt = "[red circle:green star:0.5]" });
        using var never = await pipeline.RunAsync(request with { Prompt = "[red circle:green star:1.0]" });
        using var alternating = await pipeline.RunAsync(request with { Prompt = "[red circle|red circle]" });
        using var negativeEdited = await pipeline.RunAsync(request with { NegativePrompt = "[blue:yellow:0.5]" });

        Assert.NotEqual(Hash(red.Images[0].Image), Hash(edited.Images[0].Image));
        Assert.NotEqual(Hash(green.Images[0].Image), Hash(edited.Images[0].Image));
        Assert.Equal(Hash(red.Images[0].Image), Hash(never.Images[0].Image));
        Assert.Equal(Hash(red.Images[0].Image), Hash(alternating.Images[0].Image));
        Assert.NotEqual(Hash(red.Images[0].Image), Hash(negativeEdited.Images[0].Image));
    }

    [Fact]
    public async Task Timings_account_for_the_run()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var result = await pipeline.RunAsync(new GenerationRequest { Prompt = "x", Steps = 3, Width = 64, Height = 64, Scheduler = "Euler" });
        var t = result.Timings;
        Assert.Equal(3, t.Steps);
        Assert.True(t.OrtRun > TimeSpan.Zero && t.OrtRun <= t.Total);
        Assert.True(t.TextEncoding + t.Denoising + t.VaeDecoding <= t.Total + TimeSpan.FromMilliseconds(1));
    }

    internal static string Hash(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    internal static int Distinct(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes.Distinct().Count();
    }

    internal static int MaxPixelDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        var x = new byte[a.Width * a.Height * 3];
        var y = new byte[b.Width * b.Height * 3];
        a.CopyPixelDataTo(x);
        b.CopyPixelDataTo(y);
        return x.Zip(y, (p, q) => Math.Abs(p - q)).Max();
    }
}
