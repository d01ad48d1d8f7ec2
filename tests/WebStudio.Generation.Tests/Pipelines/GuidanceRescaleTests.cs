using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>CFG rescale (diffusers' guidance_rescale): each image's guided prediction scaled towards the spread of its
/// conditional one, only where classifier-free guidance runs.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "StudioCore")]
public class GuidanceRescaleTests(TinyModelFolders models)
{
    private static GenerationRequest Request(float rescale, float guidance = 7f, long seed = 40, int batch = 1) => new()
    {
        Prompt = "a red circle", NegativePrompt = "blue", Steps = 5, Guidance = guidance, Seed = seed, Width = 64, Height = 64,
        Scheduler = "DDIM", BatchSize = batch, GuidanceRescale = rescale,
    };

    private Task<float[][]> PixelsAsync(GenerationRequest request) => PipelinePixels.RunAsync(models.Load(TinyModelVariant.DiffusersScript), request);

    /// <summary>rescale_noise_cfg as diffusers writes it, worked out here in double over a batch of two.</summary>
    [Theory]
    [InlineData(0.7f)]
    [InlineData(1f)]
    public void Each_images_guided_prediction_takes_its_conditional_spread_by_phi(float phi)
    {
        var noise = new GaussianNoise(5);
        var (unconditional, conditional) = (noise.Next(2 * 64), noise.Next(2 * 64).Select(v => 0.3f * v + 0.1f).ToArray());
        var guided = unconditional.Zip(conditional, (u, c) => u + 7.5f * (c - u)).ToArray();
        var expected = guided.Select(v => (double)v).ToArray();
        for (var b = 0; b < 2; b++)
        {
            var ratio = Std(conditional.AsSpan(b * 64, 64)) / Std(guided.AsSpan(b * 64, 64));
            for (var i = b * 64; i < (b + 1) * 64; i++)
            {
                expected[i] = phi * (guided[i] * ratio) + (1 - phi) * guided[i];
            }
        }

        GuidanceRescale.Apply(guided, conditional, batch: 2, phi);

        Assert.Equal(expected, guided.Select(v => (double)v), (x, y) => Math.Abs(x - y) <= 1e-5 * (1 + Math.Abs(x)));
        if (phi == 1f)
        {
            // Wholly rescaled, each image has its conditional prediction's spread.
            Assert.Equal(Std(conditional.AsSpan(64, 64)), Std(guided.AsSpan(64, 64)), 5);
        }

        static double Std(ReadOnlySpan<float> values)
        {
            var list = values.ToArray();
            var mean = list.Average(v => (double)v);
            return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Length - 1));
        }
    }

    [Fact]
    public async Task The_rescale_changes_a_guided_picture_and_leaves_one_without_guidance_as_it_was()
    {
        var plain = (await PixelsAsync(Request(0f)))[0];
        var rescaled = (await PixelsAsync(Request(0.7f)))[0];
        Assert.True(plain.Zip(rescaled).Max(p => Math.Abs(p.First - p.Second)) > 2f / 255, "CFG rescale left the picture as it was");

        // Guidance 1 runs no unconditional batch, so there is nothing to rescale.
        Assert.Equal((await PixelsAsync(Request(0f, guidance: 1f)))[0], (await PixelsAsync(Request(0.7f, guidance: 1f)))[0]);
    }

    [Fact]
    public async Task Each_image_of_a_batch_is_rescaled_by_its_own_spread()
    {
        var batch = await PixelsAsync(Request(0.7f, seed: 40, batch: 3));
        var alone = (await PixelsAsync(Request(0.7f, seed: 42)))[0];

        BatchImageAloneTests.AssertSamePicture(alone, batch[2]);
    }
}
