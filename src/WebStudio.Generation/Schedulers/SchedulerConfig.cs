using System.Text.Json;
using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// The noise-schedule settings of a diffusers scheduler_config.json. Keys a file leaves out take the
/// Stable Diffusion 1.5 values, so a bare or partial file still gives SD1.5's schedule.
/// </summary>
public sealed record SchedulerConfig
{
    public static SchedulerConfig StableDiffusionDefault { get; } = new();

    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.00085;
    public double BetaEnd { get; init; } = 0.012;

    /// <summary>linear, scaled_linear or squaredcos_cap_v2.</summary>
    public string BetaSchedule { get; init; } = "scaled_linear";

    /// <summary>Explicit betas; when set they replace the beta schedule.</summary>
    public IReadOnlyList<float>? TrainedBetas { get; init; }

    public int StepsOffset { get; init; } = 1;

    /// <summary>leading, linspace or trailing.</summary>
    public string TimestepSpacing { get; init; } = "leading";

    /// <summary>epsilon or v_prediction.</summary>
    public string PredictionType { get; init; } = "epsilon";

    public bool ClipSample { get; init; }
    public double ClipSampleRange { get; init; } = 1.0;
    public bool SetAlphaToOne { get; init; }
    public bool SkipPrkSteps { get; init; } = true;
    public bool UseKarrasSigmas { get; init; }
    public bool RescaleBetasZeroSnr { get; init; }

    /// <summary>LCM: the length of the distillation schedule its timesteps are drawn from.</summary>
    public int OriginalInferenceSteps { get; init; } = 50;

    /// <summary>LCM: multiplies the timestep in the boundary-condition scalings.</summary>
    public double TimestepScaling { get; init; } = 10.0;

    public bool IsVPrediction => PredictionType == "v_prediction";

    public static SchedulerConfig FromJsonFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Scheduler config '{path}' cannot be read: {ex.Message}", ex);
        }

        return FromJson(text, path);
    }

    public static SchedulerConfig FromJson(string json, string source = "scheduler config")
    {
        SchedulerConfigFile file;
        try
        {
            file = DiffusersJson.Parse<SchedulerConfigFile>(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not valid JSON for a scheduler config: {ex.Message}", ex);
        }

        if (file.Thresholding == true)
        {
            throw new InvalidDataException($"{source}: key 'thresholding' is true, but dynamic thresholding is not supported (it is meant for pixel-space models).");
        }

        // A key the file leaves out (or sets to null) keeps SD 1.5's value.
        var defaults = StableDiffusionDefault;
        var config = new SchedulerConfig
        {
            NumTrainTimesteps = AtLeast(source, "num_train_timesteps", file.NumTrainTimesteps, 2) ?? defaults.NumTrainTimesteps,
            BetaStart = file.BetaStart ?? defaults.BetaStart,
            BetaEnd = file.BetaEnd ?? defaults.BetaEnd,
            BetaSchedule = OneOf(source, "beta_schedule", file.BetaSchedule, "linear", "scaled_linear", "squaredcos_cap_v2") ?? defaults.BetaSchedule,
            TrainedBetas = file.TrainedBetas,
            StepsOffset = AtLeast(source, "steps_offset", file.StepsOffset, 0) ?? defaults.StepsOffset,
            TimestepSpacing = OneOf(source, "timestep_spacing", file.TimestepSpacing, "leading", "linspace", "trailing") ?? defaults.TimestepSpacing,
            PredictionType = OneOf(source, "prediction_type", file.PredictionType, "epsilon", "v_prediction") ?? defaults.PredictionType,
            ClipSample = file.ClipSample ?? defaults.ClipSample,
            ClipSampleRange = file.ClipSampleRange ?? defaults.ClipSampleRange,
            SetAlphaToOne = file.SetAlphaToOne ?? defaults.SetAlphaToOne,
            SkipPrkSteps = file.SkipPrkSteps ?? defaults.SkipPrkSteps,
            UseKarrasSigmas = file.UseKarrasSigmas ?? defaults.UseKarrasSigmas,
            RescaleBetasZeroSnr = file.RescaleBetasZeroSnr ?? defaults.RescaleBetasZeroSnr,
            OriginalInferenceSteps = AtLeast(source, "original_inference_steps", file.OriginalInferenceSteps, 1) ?? defaults.OriginalInferenceSteps,
            TimestepScaling = file.TimestepScaling ?? defaults.TimestepScaling,
        };
        if (config.TrainedBetas is { } betas && betas.Count != config.NumTrainTimesteps)
        {
            throw new InvalidDataException($"{source}: key 'trained_betas' holds {betas.Count} values, but num_train_timesteps is {config.NumTrainTimesteps}.");
        }

        return config;
    }

    private static int? AtLeast(string source, string key, int? value, int min) =>
        value is { } number && number < min
            ? throw new InvalidDataException($"{source}: key '{key}' must be a whole number of at least {min}, but it is {number}.")
            : value;

    private static string? OneOf(string source, string key, string? value, params string[] allowed) =>
        value is not null && !allowed.Contains(value, StringComparer.Ordinal)
            ? throw new InvalidDataException($"{source}: key '{key}' must be one of {string.Join(", ", allowed)}, but it is \"{value}\".")
            : value;
}
