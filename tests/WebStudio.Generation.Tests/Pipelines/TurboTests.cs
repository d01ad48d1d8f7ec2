using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Pipelines.PipelineVariantTests;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>SDXL-Turbo and SD-Turbo: trailing timestep spacing for 1–4 steps, and at guidance 0 (or anything up to 1)
/// the unconditional batch is skipped, not computed and ignored: the UNet sees one row per image per step.</summary>
[Trait("Capability", "UserModels")]
[Collection(TinyModelCollection.Name)]
public sealed class TurboTests(TinyModelFolders models)
{
    public static TheoryData<string> Turbos() => ["sdxl-turbo", "sd-turbo", "sdxl-turbo-b1"];

    private static TinyModelVariant Turbo(string name) => name switch
    {
        "sdxl-turbo" => TinyModelVariant.SdxlTurbo,
        "sdxl-turbo-b1" => TinyModelVariant.SdxlTurbo with { FixedBatch1 = true },
        "sd-turbo" => TinyModelVariant.SdTurbo,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Turbos))]
    public void The_schedule_is_trailing_so_one_step_starts_at_timestep_999(string name)
    {
        var config = models.Load(Turbo(name)).SchedulerConfig;
        Assert.Equal("trailing", config.TimestepSpacing);

        // diffusers: np.round(np.arange(1000, 0, -1000 / steps)) - 1.
        var scheduler = SchedulerFactory.Create("Euler a", config);
        scheduler.SetTimesteps(1);
        Assert.Equal([999f], scheduler.Timesteps);
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 749f, 499f, 249f], scheduler.Timesteps);
    }

    [Theory]
    [MemberData(nameof(Turbos))]
    public async Task Guidance_0_runs_the_UNet_with_one_row_per_image_per_step(string name)
    {
        var model = models.Load(Turbo(name));
        var pipeline = new StableDiffusionPipeline(model);
        var request = new GenerationRequest { Prompt = "a photo of a cat", Steps = 1, Guidance = 0, Width = 64, Height = 64, Seed = 3, Scheduler = "Euler a" };

        var before = model.UNet.RowsEvaluated;
        using var one = await pipeline.RunAsync(request);
        Assert.Equal(1, model.UNet.RowsEvaluated - before);

        before = model.UNet.RowsEvaluated;
        using var batch = await pipeline.RunAsync(request with { Steps = 4, BatchSize = 2, Guidance = 1 });
        Assert.Equal(4 * 2, model.UNet.RowsEvaluated - before);

        // With guidance the unconditional rows come back: two per image per step.
        before = model.UNet.RowsEvaluated;
        using var guided = await pipeline.RunAsync(request with { Steps = 2, Guidance = 3 });
        Assert.Equal(2 * 2, model.UNet.RowsEvaluated - before);

        Assert.True(Distinct(one.Images[0].Image) > 16, "a flat image");
        Assert.NotEqual(Hash(one.Images[0].Image), Hash(guided.Images[0].Image));
    }
}
