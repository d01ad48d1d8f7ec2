using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;
using WebStudio.Testing.TinyModels;
using WebStudio.Tests.Shared;
using static WebStudio.Generation.Tests.Onnx.OrtTestRunner;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>
/// InstructPix2Pix's UNet input and three-way guidance, checked against diffusers' pipeline_stable_diffusion_instruct_pix2pix:
/// the batch (instruction + image, empty + image, empty + zero image), the image latents (the VAE's mode, unscaled)
/// beside the noisy latents, and <c>uncond + s_text·(text − image) + s_image·(image − uncond)</c>.
/// </summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "InstructEdit")]
public class InstructPix2PixGuidanceTests(TinyModelFolders models)
{
    private const int TextWidth = 32;

    [Fact]
    public void The_three_way_combination_matches_values_worked_out_from_diffusers_formula()
    {
        // Chunks in diffusers' order: text, image, uncond (noise_pred.chunk(3)).
        float[] prediction = [1f, 2f, 0.5f, -1f, 0.25f, 3f];

        var combined = InstructPix2PixGuidance.Combine(prediction, 2, textScale: 7.5f, imageScale: 1.5f);

        // 0.25 + 7.5·(1 − 0.5) + 1.5·(0.5 − 0.25) = 4.375; 3 + 7.5·(2 + 1) + 1.5·(−1 − 3) = 19.5
        Assert.Equal([4.375f, 19.5f], combined);
    }

    [Fact]
    public void With_both_scales_at_one_the_combination_is_the_instruction_prediction()
    {
        float[] prediction = [0.75f, -2f, 9f, 4f, -3f, 0.5f];
        Assert.Equal([0.75f, -2f], InstructPix2PixGuidance.Combine(prediction, 2, textScale: 1f, imageScale: 1f));
    }

    [Theory]
    [InlineData(7.5f, 1.5f, true)]
    [InlineData(1f, 1.5f, false)]
    [InlineData(7.5f, 0.5f, false)]
    [InlineData(1.01f, 1f, true)]
    public void Guidance_applies_as_diffusers_decides_it(float text, float image, bool applies) =>
        Assert.Equal(applies, InstructPix2PixGuidance.Applies(new InstructionEdit { TextGuidance = text, ImageGuidance = image }));

    [Fact]
    public void The_defaults_are_diffusers_scales() =>
        Assert.Equal((7.5f, 1.5f), (new InstructionEdit().TextGuidance, new InstructionEdit().ImageGuidance));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_UNet_gets_the_image_latents_beside_the_noisy_ones_in_diffusers_batch_order(bool fixedBatch)
    {
        using var folder = new TempFolder();
        var variant = TinyModelVariant.InstructEdit with { FixedBatch1 = fixedBatch };
        TinyEchoUNet.Write(folder.Path, variant);
        using var unet = new UNet(OnnxComponent.Load(folder.Path, "unet", new ModelLoadOptions { UseCuda = false }, NullLogger.Instance));
        Assert.Equal(8, unet.InChannels);

        var noisy = new Latents(Seeded(2 * 4 * 2 * 2, 1), 2, 4, 2, 2);
        var image = new Latents(Seeded(2 * 4 * 2 * 2, 2), 2, 4, 2, 2);
        var instruction = Text(0.5f);
        var empty = Text(-0.25f);
        using var predictor = new NoisePredictor(unet, null, image, new RunClock());

        var guided = predictor.Predict(noisy, 500, new GuidanceInput(instruction, empty, 7.5f, null, 1.5f));

        // The echo UNet returns, per row, noisy + image channels + the row's text mean. Row r of each chunk is image r.
        var n = noisy.Data.Length;
        var echoed = new float[3 * n];
        for (var i = 0; i < n; i++)
        {
            echoed[i] = noisy.Data[i] + image.Data[i] + 0.5f; // instruction + image
            echoed[n + i] = noisy.Data[i] + image.Data[i] - 0.25f; // empty + image
            echoed[2 * n + i] = noisy.Data[i] - 0.25f; // empty + zero image
        }

        AssertClose(Diffusers(echoed, n, 7.5f, 1.5f), guided);

        // Without guidance one row per image: the instruction and the image.
        var unguided = predictor.Predict(noisy, 500, new GuidanceInput(instruction, null, 1f, null, 1.5f));
        AssertClose(echoed[..n], unguided);
    }

    [Fact]
    public void The_image_latents_are_the_encoders_mean_unscaled_not_a_sample()
    {
        var variant = TinyModelVariant.InstructEditOptimum;
        var model = models.Load(variant);
        using var source = ImageEditingTests.Source();
        var request = new GenerationRequest
        {
            Prompt = "make it blue", Steps = 4, Width = 64, Height = 64, Scheduler = "Euler", InitImage = source, BatchSize = 2,
            InstructionEdit = new(),
        };
        var scheduler = SchedulerFactory.Create(request.Scheduler, model.SchedulerConfig);
        scheduler.SetTimesteps(request.Steps);

        var start = new StartingPoint(model, request, scheduler, StartingPoint.FirstStepOf(model, request, scheduler), new RunClock());

        // The encoder's latent_parameters hold mean then log-variance; the mode is the first 4 channels, as they are.
        var encoderPath = TinyStableDiffusion.ModelPath(models.Write(variant), "vae_encoder");
        var parameters = Run(encoderPath, Floats("sample", ImageTensors.FromImage(source).Data, 1, 3, 64, 64))["latent_parameters"];
        Assert.Equal([1, 8, 8, 8], parameters.Shape);
        var mean = parameters.Data[..(4 * 8 * 8)];
        var editImage = start.EditImage!;
        Assert.Equal([2, 4, 8, 8], editImage.Shape);
        AssertClose(mean, editImage.Data[..mean.Length]);
        AssertClose(mean, editImage.Data[mean.Length..]);

        // Denoising starts from the seed's noise, all steps, as diffusers' edit does (no strength).
        Assert.Equal(0, start.FirstStep);
        Assert.Null(start.InpaintChannels);
        Assert.Null(start.BlendMask);
    }

    private static PromptEmbedding Text(float value) =>
        new(Enumerable.Repeat(value, ModelShapes.TextTokens * TextWidth).ToArray(), ModelShapes.TextTokens, TextWidth);

    // diffusers: noise_pred_text, noise_pred_image, noise_pred_uncond = noise_pred.chunk(3), then the guidance sum.
    private static float[] Diffusers(float[] prediction, int n, float textScale, float imageScale)
    {
        var result = new float[n];
        for (var i = 0; i < n; i++)
        {
            var (text, image, uncond) = (prediction[i], prediction[n + i], prediction[2 * n + i]);
            result[i] = uncond + textScale * (text - image) + imageScale * (image - uncond);
        }

        return result;
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f * (1f + MathF.Abs(expected[i])), $"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
