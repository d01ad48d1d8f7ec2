using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>A1111's variation seed: the seed's starting noise carried part of the way to a second seed's, so that a
/// picture is made again a little different; every image of a varied batch keeps the seed.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "StudioCore")]
public class VariationSeedTests(TinyModelFolders models)
{
    // DDIM adds no noise while it steps, so a picture depends on its starting noise alone.
    private static GenerationRequest Request(long seed, long? variationSeed = null, float strength = 0f, int batch = 1) => new()
    {
        Prompt = "a red circle", NegativePrompt = "blue", Steps = 4, Guidance = 7f, Seed = seed, Width = 64, Height = 64,
        Scheduler = "DDIM", BatchSize = batch, VariationSeed = variationSeed, VariationStrength = strength,
    };

    private Task<float[][]> PixelsAsync(GenerationRequest request) => PipelinePixels.RunAsync(models.Load(TinyModelVariant.DiffusersScript), request);

    private static double MeanDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    [Fact]
    public async Task Strength_zero_makes_the_seeds_picture_and_strength_one_the_variation_seeds()
    {
        var seed = (await PixelsAsync(Request(21)))[0];
        var other = (await PixelsAsync(Request(99)))[0];

        Assert.Equal(seed, (await PixelsAsync(Request(21, variationSeed: 99, strength: 0f)))[0]);
        Assert.Equal(other, (await PixelsAsync(Request(21, variationSeed: 99, strength: 1f)))[0], new ToleranceComparer(1e-4f));
    }

    [Fact]
    public async Task A_varied_batch_keeps_the_seed_and_each_image_stays_nearer_the_seeds_picture_than_another_seeds()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var varied = await pipeline.RunAsync(Request(21, variationSeed: 500, strength: 0.2f, batch: 3));
        var seed = (await PixelsAsync(Request(21)))[0];
        var nextSeed = (await PixelsAsync(Request(22)))[0];

        Assert.All(varied.Images, i => Assert.Equal(21, i.Seed));
        var pixels = PipelinePixels.Of(varied);
        var anotherSeed = MeanDifference(seed, nextSeed);
        Assert.All(pixels, p =>
        {
            var apart = MeanDifference(seed, p);
            Assert.InRange(apart, 1e-4, anotherSeed / 2);
        });
        Assert.NotEqual(pixels[0], pixels[1]);

        // Image 2 of the batch is the variation seed 502's, made alone.
        Assert.Equal(pixels[2], (await PixelsAsync(Request(21, variationSeed: 502, strength: 0.2f)))[0], new ToleranceComparer(2.5f / 255));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void A_strength_outside_zero_to_one_is_refused(float strength)
    {
        var problems = GenerationRequestValidator.Validate(Request(21, variationSeed: 5, strength: strength));

        Assert.Contains(problems, p => p.Field == "variationStrength" && p.Message.Contains("between 0 and 1"));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
