using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Pipelines.PipelineVariantTests;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>SDXL base then refiner as one job, with diffusers' denoising_end / denoising_start semantics: the base runs
/// the timesteps at or above (1 − switch) × 1000, the refiner the rest, from the base's latents as they are.</summary>
[Trait("Capability", "UserModels")]
[Collection(TinyModelCollection.Name)]
public sealed class BaseThenRefinerTests(TinyModelFolders models)
{
    private static readonly GenerationRequest Request = new()
    {
        Prompt = "a photo of a cat", NegativePrompt = "blurry", Steps = 10, Guidance = 5, Width = 64, Height = 64, Seed = 11, Scheduler = "Euler",
    };

    [Theory]
    [InlineData(0.8f, 8, 2)] // Euler, leading spacing: 901, 801, …, 1; the cutoff 200 leaves 101 and 1 to the refiner.
    [InlineData(0.5f, 5, 5)]
    [InlineData(0.95f, 9, 1)] // cutoff 50: timestep 1 alone is below it.
    public async Task The_base_runs_the_steps_above_the_cutoff_and_the_refiner_the_rest(float switchAt, int baseSteps, int refinerSteps)
    {
        var baseModel = models.Load(TinyModelVariant.SdxlBase);
        var refiner = models.Load(TinyModelVariant.SdxlRefiner);
        var steps = new StepRecorder();

        var baseBefore = baseModel.UNet.RowsEvaluated;
        var refinerBefore = refiner.UNet.RowsEvaluated;
        using var result = await new StableDiffusionPipeline(baseModel).RunAsync(Request with { Refiner = new RefinerPass(refiner, switchAt) }, steps);

        Assert.Equal(2 * baseSteps, baseModel.UNet.RowsEvaluated - baseBefore);
        Assert.Equal(2 * refinerSteps, refiner.UNet.RowsEvaluated - refinerBefore);
        Assert.Equal(Enumerable.Range(0, baseSteps + refinerSteps), steps.Indices);
        Assert.All(steps.Totals, total => Assert.Equal(baseSteps + refinerSteps, total));
        Assert.Equal(baseSteps + refinerSteps, result.Timings.Steps);
    }

    [Theory]
    [InlineData(0.5f, 3, 2)] // img2img from timestep 401: the base runs 401, 301, 201, the refiner 101 and 1.
    [InlineData(0.1f, 0, 1)] // from timestep 1, below the cutoff: the refiner alone runs, from there.
    public async Task Img2img_with_a_refiner_starts_where_its_strength_says(float strength, int baseSteps, int refinerSteps)
    {
        var baseModel = models.Load(TinyModelVariant.SdxlBase);
        var refiner = models.Load(TinyModelVariant.SdxlRefiner);
        using var source = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(64, 64);

        var baseBefore = baseModel.UNet.RowsEvaluated;
        var refinerBefore = refiner.UNet.RowsEvaluated;
        using var result = await new StableDiffusionPipeline(baseModel).RunAsync(
            Request with { InitImage = source, Strength = strength, Refiner = new RefinerPass(refiner) });

        Assert.Equal(2 * baseSteps, baseModel.UNet.RowsEvaluated - baseBefore);
        Assert.Equal(2 * refinerSteps, refiner.UNet.RowsEvaluated - refinerBefore);
        Assert.Equal(baseSteps + refinerSteps, result.Timings.Steps);
    }

    [Theory]
    [InlineData("Euler")]
    [InlineData("Euler a")]
    [InlineData("DDIM")]
    [InlineData("Heun")]
    [InlineData("DPM2")]
    [InlineData("DPM2 a")]
    [InlineData("DPM++ 2S a Karras")]
    [InlineData("DPM++ SDE Karras")]
    public async Task A_model_refining_its_own_run_draws_what_it_draws_alone(string scheduler)
    {
        // Handing over at 0.5 to the same model must continue the very same schedule with the very same latents and
        // step noise: any re-noising, a shifted schedule or a lost step would change the image. (A multistep scheduler
        // such as DPM++ 2M starts its history afresh at the switch, as the refiner's own scheduler does in diffusers.)
        var model = models.Load(TinyModelVariant.SdxlBase);
        var pipeline = new StableDiffusionPipeline(model);
        var request = Request with { Scheduler = scheduler };

        using var alone = await pipeline.RunAsync(request);
        using var handedOver = await pipeline.RunAsync(request with { Refiner = new RefinerPass(model, 0.5f) });

        Assert.Equal(Hash(alone.Images[0].Image), Hash(handedOver.Images[0].Image));
    }

    [Fact]
    public async Task The_refiner_changes_the_image_and_does_so_the_same_way_every_time()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        var refined = Request with { Refiner = new RefinerPass(models.Load(TinyModelVariant.SdxlRefiner)) };

        using var alone = await pipeline.RunAsync(Request);
        using var first = await pipeline.RunAsync(refined);
        using var again = await pipeline.RunAsync(refined);

        Assert.NotEqual(Hash(alone.Images[0].Image), Hash(first.Images[0].Image));
        Assert.Equal(Hash(first.Images[0].Image), Hash(again.Images[0].Image));
    }

    [Fact]
    public async Task A_refiner_of_another_latent_space_or_with_a_mask_or_a_switch_outside_the_schedule_is_refused()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlBase));
        var refiner = models.Load(TinyModelVariant.SdxlRefiner);

        var family = await Assert.ThrowsAsync<GenerationValidationException>(() =>
            pipeline.RunAsync(Request with { Refiner = new RefinerPass(models.Load(TinyModelVariant.DiffusersScript)) }));
        Assert.Contains("latent space", family.Message);

        var outside = await Assert.ThrowsAsync<GenerationValidationException>(() => pipeline.RunAsync(Request with { Refiner = new RefinerPass(refiner, 1f) }));
        Assert.Equal("refinerSwitchAt", outside.Problems[0].Field);

        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(64, 64);
        using var mask = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(64, 64);
        var masked = await Assert.ThrowsAsync<GenerationValidationException>(() =>
            pipeline.RunAsync(Request with { InitImage = image, Mask = mask, Refiner = new RefinerPass(refiner) }));
        Assert.Equal("refiner", masked.Problems[0].Field);
    }

    private sealed class StepRecorder : IStepCallback
    {
        public List<int> Indices { get; } = [];

        public List<int> Totals { get; } = [];

        public bool OnStep(StepProgress progress)
        {
            Indices.Add(progress.StepIndex);
            Totals.Add(progress.TotalSteps);
            return true;
        }
    }
}
