using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Schedulers;

public sealed class SchedulerConfigTests
{
    // runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json as diffusers writes it.
    private const string StableDiffusion15 = """
        {
          "_class_name": "PNDMScheduler",
          "_diffusers_version": "0.6.0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "num_train_timesteps": 1000,
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "trained_betas": null,
          "clip_sample": false
        }
        """;

    [Fact]
    public void Reads_the_Stable_Diffusion_1_5_file()
    {
        var config = SchedulerConfig.FromJson(StableDiffusion15);

        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.Equal(0.00085, config.BetaStart);
        Assert.Equal(0.012, config.BetaEnd);
        Assert.Equal("scaled_linear", config.BetaSchedule);
        Assert.Null(config.TrainedBetas);
        Assert.Equal(1, config.StepsOffset);
        Assert.True(config.SkipPrkSteps);
        Assert.False(config.SetAlphaToOne);
        Assert.Equal("epsilon", config.PredictionType);
        Assert.Equal(SchedulerConfig.StableDiffusionDefault, config);
    }

    [Fact]
    public void Reads_v2_and_LCM_keys()
    {
        var config = SchedulerConfig.FromJson("""
            { "prediction_type": "v_prediction", "timestep_spacing": "trailing", "use_karras_sigmas": true,
              "rescale_betas_zero_snr": true, "original_inference_steps": 25, "timestep_scaling": 5.0,
              "thresholding": false, "beta_schedule": "squaredcos_cap_v2" }
            """);

        Assert.True(config.IsVPrediction);
        Assert.Equal("trailing", config.TimestepSpacing);
        Assert.True(config.UseKarrasSigmas);
        Assert.True(config.RescaleBetasZeroSnr);
        Assert.Equal(25, config.OriginalInferenceSteps);
        Assert.Equal(5.0, config.TimestepScaling);
        Assert.Equal("squaredcos_cap_v2", config.BetaSchedule);
    }

    [Fact]
    public void Zero_terminal_SNR_schedule_still_runs_every_scheduler()
    {
        var config = SchedulerConfig.StableDiffusionDefault with
        {
            RescaleBetasZeroSnr = true, PredictionType = "v_prediction", TimestepSpacing = "trailing",
        };
        foreach (var name in SchedulerNames.All)
        {
            var scheduler = SchedulerFactory.Create(name, config);
            scheduler.SetTimesteps(4);
            var latents = Enumerable.Repeat(0.5f, 16).ToArray();
            foreach (var t in scheduler.Timesteps.ToArray())
            {
                var output = scheduler.Step(scheduler.ScaleModelInput(latents, t), t, latents, new GaussianNoise(1));
                latents = output.PrevSample;
            }

            Assert.All(latents, v => Assert.True(float.IsFinite(v), name));
        }
    }

    [Fact]
    public void Trained_betas_replace_the_schedule()
    {
        var betas = string.Join(", ", Enumerable.Repeat("0.01", 10));
        var config = SchedulerConfig.FromJson($$"""{ "num_train_timesteps": 10, "trained_betas": [{{betas}}], "steps_offset": 0 }""");
        var scheduler = new DDIMScheduler(config);
        scheduler.SetTimesteps(1);
        var noisy = scheduler.AddNoise([1f], [0f], 0);
        Assert.Equal(Math.Sqrt(0.99), noisy[0], 1e-6);
    }

    [Fact]
    public void Malformed_JSON_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sched-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"beta_start\": 0.00085, ");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => SchedulerConfig.FromJsonFile(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("not valid JSON", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        var error = Assert.Throws<InvalidDataException>(() => SchedulerConfig.FromJsonFile(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("""{ "beta_schedule": "exponential" }""", "beta_schedule")]
    [InlineData("""{ "num_train_timesteps": "1000" }""", "num_train_timesteps")]
    [InlineData("""{ "steps_offset": -1 }""", "steps_offset")]
    [InlineData("""{ "clip_sample": 1 }""", "clip_sample")]
    [InlineData("""{ "prediction_type": "sample" }""", "prediction_type")]
    [InlineData("""{ "trained_betas": [0.1, "x"] }""", "trained_betas")]
    [InlineData("""{ "num_train_timesteps": 4, "trained_betas": [0.1] }""", "trained_betas")]
    [InlineData("""{ "thresholding": true }""", "thresholding")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void Bad_values_are_reported_by_key(string json, string key)
    {
        var error = Assert.Throws<InvalidDataException>(() => SchedulerConfig.FromJson(json, "scheduler_config.json"));
        Assert.Contains(key, error.Message);
        Assert.Contains("scheduler_config.json", error.Message);
    }
}
