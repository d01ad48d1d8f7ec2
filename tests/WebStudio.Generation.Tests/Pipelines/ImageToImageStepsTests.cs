using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>An image-to-image run denoises int(steps × strength) of its steps, as diffusers counts them. A Turbo
/// model's 1 step at an edit's strength would denoise none and hand the source back: the defaults raise the steps to
/// the fewest that denoise once (SDXL-Turbo's card: 2 at strength 0.5), and a request that asks for too few is refused
/// with the number it needs.</summary>
[Trait("Capability", "UserModels")]
[Collection(TinyModelCollection.Name)]
public sealed class ImageToImageStepsTests(TinyModelFolders models)
{
    [Theory]
    [InlineData(20, 0.75f, 15)]
    [InlineData(20, 0.05f, 1)]
    [InlineData(10, 0.05f, 0)]
    [InlineData(1, 0.5f, 0)]
    [InlineData(2, 0.5f, 1)]
    [InlineData(10, 1f, 10)]
    [InlineData(10, 0f, 0)]
    public void Steps_times_strength_rounded_down_denoise(int steps, float strength, int run) =>
        Assert.Equal(run, ImageToImageSteps.Run(steps, strength));

    [Theory]
    [InlineData(1, 0.5f, 2)]
    [InlineData(1, 0.75f, 2)]
    [InlineData(1, 0.3f, 4)] // 3 × 0.3 is 0.9
    [InlineData(10, 0.05f, 20)]
    [InlineData(20, 0.05f, 20)]
    [InlineData(4, 0.6f, 4)]
    [InlineData(1, 1f, 1)]
    [InlineData(4, 0f, 4)] // strength 0 asks for no change
    public void The_fewest_steps_that_denoise_once_are_found_from_the_steps_up(int steps, float strength, int needed)
    {
        Assert.Equal(needed, ImageToImageSteps.AtLeastOne(steps, strength));
        if (strength > 0f)
        {
            Assert.True(ImageToImageSteps.Run(needed, strength) >= 1);
            Assert.True(needed == steps || ImageToImageSteps.Run(needed - 1, strength) == 0);
        }
    }

    [Fact]
    public void An_edit_that_would_denoise_no_step_is_refused_naming_the_steps_it_needs()
    {
        using var source = new Image<Rgb24>(64, 64);
        var edit = new GenerationRequest { Prompt = "a red circle", Width = 64, Height = 64, InitImage = source, Strength = 0.5f, Steps = 1, Scheduler = "Euler a" };

        var problem = Assert.Single(GenerationRequestValidator.Validate(edit, editsByInstruction: false));

        Assert.Equal("steps", problem.Field);
        Assert.Equal("at strength 0.5, 1 step leaves none to denoise (an edit runs steps × strength of them, rounded down); use at least 2 steps", problem.Message);
        Assert.Empty(GenerationRequestValidator.Validate(edit with { Steps = 2 }, editsByInstruction: false));
        Assert.Empty(GenerationRequestValidator.Validate(edit with { Strength = 0f }, editsByInstruction: false));
        Assert.Empty(GenerationRequestValidator.Validate(edit with { InitImage = null }, editsByInstruction: false)); // text to image runs every step
    }

    [Fact]
    public async Task A_turbo_edit_at_two_steps_and_strength_one_half_denoises_once_from_timestep_499()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.SdxlTurbo));
        var request = new GenerationRequest { Prompt = "a photo of a cat", Steps = 1, Guidance = 0, Width = 64, Height = 64, Seed = 3, Scheduler = "Euler a" };
        using var first = await pipeline.RunAsync(request);
        var timesteps = new List<float>();

        var edit = request with { InitImage = first.Images[0].Image, Strength = 0.5f, Steps = ImageToImageSteps.AtLeastOne(1, 0.5f) };
        using var edited = await pipeline.RunAsync(edit, new RecordTimesteps(timesteps));

        Assert.Equal([499f], timesteps); // trailing spacing at 2 steps: 999, 499; strength 0.5 keeps the last
        await Assert.ThrowsAsync<GenerationValidationException>(() => pipeline.RunAsync(edit with { Steps = 1 }));
    }

    private sealed class RecordTimesteps(List<float> timesteps) : IStepCallback
    {
        public bool OnStep(StepProgress step)
        {
            timesteps.Add(step.Timestep);
            return true;
        }
    }
}
