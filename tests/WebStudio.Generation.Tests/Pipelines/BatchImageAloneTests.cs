using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Image b of a batch is its seed's picture: made alone from that seed (Re-run, a PNG's parameters, the API's
/// seed), it comes out the same, with the samplers that add noise at every step too (A1111 draws that noise from one
/// generator per image for this reason).</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "StudioCore")]
public class BatchImageAloneTests(TinyModelFolders models)
{
    private Task<float[][]> PixelsAsync(string scheduler, long seed, int batch, long? variationSeed = null) =>
        PipelinePixels.RunAsync(models.Load(TinyModelVariant.DiffusersScript), new GenerationRequest
        {
            Prompt = "a red circle", NegativePrompt = "blue", Steps = 5, Guidance = 7f, Seed = seed, Width = 64, Height = 64,
            Scheduler = scheduler, BatchSize = batch, VariationSeed = variationSeed, VariationStrength = variationSeed is null ? 0f : 0.3f,
        });

    // One step of a byte apart: the batched UNet may round differently from the single one.
    internal static void AssertSamePicture(float[] expected, float[] actual) =>
        Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 2.5f / 255),
            $"the pictures differ by up to {expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)):0.000}");

    [Theory]
    [InlineData(SchedulerNames.EulerAncestral)]
    [InlineData(SchedulerNames.Lcm)]
    [InlineData(SchedulerNames.Ddim)]
    public async Task The_third_image_of_a_batch_is_the_picture_its_seed_makes_alone(string scheduler)
    {
        var batch = await PixelsAsync(scheduler, seed: 40, batch: 3);

        AssertSamePicture((await PixelsAsync(scheduler, seed: 42, batch: 1))[0], batch[2]);
        AssertSamePicture((await PixelsAsync(scheduler, seed: 40, batch: 1))[0], batch[0]);
    }

    [Fact]
    public async Task A_varied_batchs_third_image_is_the_picture_of_its_variation_seed_alone_with_an_ancestral_sampler()
    {
        var batch = await PixelsAsync(SchedulerNames.EulerAncestral, seed: 40, batch: 3, variationSeed: 700);

        AssertSamePicture((await PixelsAsync(SchedulerNames.EulerAncestral, seed: 40, batch: 1, variationSeed: 702))[0], batch[2]);
    }
}
