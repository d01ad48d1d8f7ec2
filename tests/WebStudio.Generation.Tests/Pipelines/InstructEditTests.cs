using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Instruction edits (InstructPix2Pix-format models) through the one pipeline, on the tiny ip2p models.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "InstructEdit")]
public class InstructEditTests(TinyModelFolders models)
{
    private static GenerationRequest Edit(Image<Rgb24> source, string scheduler = "Euler a") => new()
    {
        Prompt = "make the circle blue", Steps = 4, Width = 64, Height = 64, Seed = 5, Scheduler = scheduler, InitImage = source,
        InstructionEdit = new(),
    };

    [Fact]
    public async Task The_same_seed_gives_the_same_edit_and_another_seed_another()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit));
        using var source = ImageEditingTests.Source();

        using var first = await pipeline.RunAsync(Edit(source));
        using var again = await pipeline.RunAsync(Edit(source));
        using var other = await pipeline.RunAsync(Edit(source) with { Seed = 6 });

        Assert.Equal(PipelineVariantTests.Hash(first.Images[0].Image), PipelineVariantTests.Hash(again.Images[0].Image));
        Assert.NotEqual(PipelineVariantTests.Hash(first.Images[0].Image), PipelineVariantTests.Hash(other.Images[0].Image));
    }

    public static TheoryData<string> Schedulers => [.. SchedulerNames.All];

    [Theory]
    [MemberData(nameof(Schedulers))]
    public async Task Every_scheduler_edits_with_a_preview_at_every_step(string scheduler)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit));
        var vaePreview = new VaePreviewDecoder(pipeline);
        using var source = ImageEditingTests.Source();
        var previews = new List<(int Step, int Total, RgbFrame Latent, RgbFrame Vae)>();

        using var result = await pipeline.RunAsync(Edit(source, scheduler) with { BatchSize = 2 },
            new Callback(p => previews.Add((p.StepIndex, p.TotalSteps, LatentRgbPreview.Decode(p.Latents), vaePreview.Decode(p.PredictedOriginal)))));

        Assert.NotEmpty(previews);
        // Heun's two model calls of a step each show it.
        Assert.Equal(Enumerable.Range(0, previews[0].Total), previews.Select(p => p.Step).Distinct());
        Assert.True(previews.Select(p => p.Step).SequenceEqual(previews.Select(p => p.Step).Order()), "the steps go in order");
        Assert.All(previews, p => Assert.Equal((8, 8, 64, 64), (p.Latent.Width, p.Latent.Height, p.Vae.Width, p.Vae.Height)));
        Assert.Equal(2, result.Images.Count);
        Assert.True(PipelineVariantTests.Distinct(result.Images[0].Image) > 1, $"{scheduler}: the edit is a flat colour");
        Assert.NotEqual(PipelineVariantTests.Hash(result.Images[0].Image), PipelineVariantTests.Hash(result.Images[1].Image));
    }

    [Fact]
    public async Task Each_scale_changes_the_edit_and_without_guidance_the_negative_prompt_is_unused()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit));
        using var source = ImageEditingTests.Source();
        var request = Edit(source);

        var hashes = new List<string>();
        foreach (var edit in new InstructionEdit[] { new(), new() { ImageGuidance = 3f }, new() { TextGuidance = 12f } })
        {
            using var result = await pipeline.RunAsync(request with { InstructionEdit = edit });
            hashes.Add(PipelineVariantTests.Hash(result.Images[0].Image));
        }

        Assert.Equal(3, hashes.Distinct().Count());

        // Text guidance 1 turns guidance off (diffusers' rule): one row per image, so the negative prompt changes nothing.
        var unguided = request with { InstructionEdit = new() { TextGuidance = 1f } };
        using var plain = await pipeline.RunAsync(unguided);
        using var withNegative = await pipeline.RunAsync(unguided with { NegativePrompt = "red" });
        Assert.Equal(PipelineVariantTests.Hash(plain.Images[0].Image), PipelineVariantTests.Hash(withNegative.Images[0].Image));
        Assert.DoesNotContain(PipelineVariantTests.Hash(plain.Images[0].Image), hashes);
    }

    [Fact]
    public async Task An_instruction_model_edits_with_the_default_scales_when_the_request_names_none()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit));
        using var source = ImageEditingTests.Source();

        using var named = await pipeline.RunAsync(Edit(source));
        using var unnamed = await pipeline.RunAsync(Edit(source) with { InstructionEdit = null, Guidance = 3f, Strength = 0.2f });

        Assert.Equal(PipelineVariantTests.Hash(named.Images[0].Image), PipelineVariantTests.Hash(unnamed.Images[0].Image));
    }

    [Fact]
    public async Task A_UNet_with_a_fixed_batch_of_one_edits_as_a_batched_one_does()
    {
        using var source = ImageEditingTests.Source();
        using var batched = await new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit)).RunAsync(Edit(source));
        using var single = await new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit with { FixedBatch1 = true })).RunAsync(Edit(source));

        Assert.InRange(PipelineVariantTests.MaxPixelDifference(batched.Images[0].Image, single.Images[0].Image), 0, 2);
    }

    [Fact]
    public async Task A_mask_limits_the_edit_to_its_area()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEditOptimum));
        using var source = ImageEditingTests.Source();
        using var mask = new Image<L8>(64, 64, new L8(0));
        for (var y = 8; y < 32; y++)
        {
            for (var x = 8; x < 32; x++)
            {
                mask[x, y] = new L8(255);
            }
        }

        using var result = await pipeline.RunAsync(Edit(source, "DPM++ 2M") with { Mask = mask, MaskFeather = 0 });

        var image = result.Images[0].Image;
        var changed = 0;
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var inside = x is >= 8 and < 32 && y is >= 8 and < 32;
                if (!inside)
                {
                    Assert.Equal(source[x, y], image[x, y]);
                }
                else if (source[x, y] != image[x, y])
                {
                    changed++;
                }
            }
        }

        Assert.True(changed > 0, "nothing inside the mask changed");
    }

    [Fact]
    public async Task An_automatic_mask_keeps_what_the_instruction_does_not_change()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEditOptimum));
        using var source = ImageEditingTests.Source();
        var request = Edit(source, "DDIM") with { Steps = 8 };
        var masked = request with { InstructionEdit = new() { AutoMaskThreshold = 0.9f } };

        // Outside the mask every seed's run ends on the input's own latents, so two seeds agree there, cell for cell;
        // without it they agree nowhere.
        var free = await SharedCells(pipeline, request);
        var kept = await SharedCells(pipeline, masked);

        Assert.Equal(0, free);
        Assert.InRange(kept, 8, 63);
        using var first = await pipeline.RunAsync(masked);
        using var again = await pipeline.RunAsync(masked);
        Assert.Equal(PipelineVariantTests.Hash(first.Images[0].Image), PipelineVariantTests.Hash(again.Images[0].Image));

        // And there the input itself is pasted back, byte for byte, as outside a painted mask: no VAE round trip wears
        // it down turn after turn.
        using var unmasked = await pipeline.RunAsync(request);
        var (same, sameUnmasked) = (IdenticalShare(first.Images[0].Image, source), IdenticalShare(unmasked.Images[0].Image, source));
        Assert.True(same >= kept / 64.0 * 0.7 && sameUnmasked < 0.05, $"{same:P0} of the pixels are the input's with the automatic mask, {sameUnmasked:P0} without");
    }

    private static double IdenticalShare(Image<Rgb24> image, Image<Rgb24> source)
    {
        var same = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                same += image[x, y] == source[x, y] ? 1 : 0;
            }
        }

        return (double)same / (image.Width * image.Height);
    }

    // Latent cells (all four channels) of the last step that two seeds' runs share.
    private static async Task<int> SharedCells(StableDiffusionPipeline pipeline, GenerationRequest request)
    {
        var last = new List<float[]>();
        foreach (var seed in new[] { request.Seed, request.Seed + 100 })
        {
            float[]? final = null;
            using var _ = await pipeline.RunAsync(request with { Seed = seed }, new Callback(p => final = p.Latents.Data.ToArray()));
            last.Add(final!);
        }

        var plane = last[0].Length / 4;
        return Enumerable.Range(0, plane).Count(cell => Enumerable.Range(0, 4).All(c => last[0][(c * plane) + cell] == last[1][(c * plane) + cell]));
    }

    [Fact]
    public async Task A_model_that_does_not_edit_by_instruction_refuses_an_instruction_edit()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var source = ImageEditingTests.Source();

        var error = await Assert.ThrowsAsync<GenerationValidationException>(() => pipeline.RunAsync(Edit(source)));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("model", problem.Field);
        Assert.Contains("does not edit by instruction", problem.Message);
        Assert.Contains("InstructPix2Pix", problem.Message);
    }

    [Fact]
    public async Task An_instruction_model_without_an_input_image_is_a_clear_error()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.InstructEdit));
        var noImage = new GenerationRequest { Prompt = "make it blue", Steps = 4, Width = 64, Height = 64, Scheduler = "Euler", InstructionEdit = new() };

        var asked = await Assert.ThrowsAsync<GenerationValidationException>(() => pipeline.RunAsync(noImage));
        Assert.Equal(("image", "an instruction edit needs the input image to change"), (Assert.Single(asked.Problems).Field, asked.Problems[0].Message));

        // A plain text-to-image request on an instruction model says why it cannot run.
        var plain = await Assert.ThrowsAsync<GenerationValidationException>(() => pipeline.RunAsync(noImage with { InstructionEdit = null }));
        Assert.Equal("image", Assert.Single(plain.Problems).Field);
        Assert.Contains("edits by instruction", plain.Message);
    }

    [Theory]
    [InlineData(-1f, 1.5f, "textGuidance")]
    [InlineData(7.5f, float.NaN, "imageGuidance")]
    [InlineData(7.5f, 31f, "imageGuidance")]
    public void Scales_out_of_range_are_refused(float text, float image, string field)
    {
        using var source = ImageEditingTests.Source();
        var request = Edit(source) with { InstructionEdit = new() { TextGuidance = text, ImageGuidance = image } };
        Assert.Equal(field, Assert.Single(GenerationRequestValidator.Validate(request)).Field);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(-0.2f)]
    [InlineData(float.NaN)]
    public void An_automatic_mask_threshold_outside_0_to_1_is_refused(float threshold)
    {
        using var source = ImageEditingTests.Source();
        var request = Edit(source) with { InstructionEdit = new() { AutoMaskThreshold = threshold } };
        var problem = Assert.Single(GenerationRequestValidator.Validate(request));
        Assert.Equal("autoMask", problem.Field);
        Assert.Contains("between 0 and 1", problem.Message);
    }

    private sealed class Callback(Action<StepProgress> onStep) : IStepCallback
    {
        public bool OnStep(StepProgress progress)
        {
            onStep(progress);
            return true;
        }
    }
}
