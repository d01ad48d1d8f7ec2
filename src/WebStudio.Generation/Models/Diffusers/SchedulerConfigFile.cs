using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>scheduler/scheduler_config.json as written: every key diffusers' SD schedulers use that we read or
/// write; <see cref="Schedulers.SchedulerConfig"/> checks it and fills the keys a file leaves out.</summary>
public sealed record SchedulerConfigFile : DiffusersConfigFile
{
    public double? BetaEnd { get; init; }
    public string? BetaSchedule { get; init; }
    public double? BetaStart { get; init; }
    public bool? ClipSample { get; init; }
    public double? ClipSampleRange { get; init; }
    public string? InterpolationType { get; init; }
    public int? NumTrainTimesteps { get; init; }
    public int? OriginalInferenceSteps { get; init; }
    public string? PredictionType { get; init; }
    public bool? RescaleBetasZeroSnr { get; init; }
    public bool? SetAlphaToOne { get; init; }
    public bool? SkipPrkSteps { get; init; }
    public int? StepsOffset { get; init; }
    public bool? Thresholding { get; init; }
    public double? TimestepScaling { get; init; }
    public string? TimestepSpacing { get; init; }

    /// <summary>Always written (null when the beta schedule applies), as diffusers does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public float[]? TrainedBetas { get; init; }
    public bool? UseKarrasSigmas { get; init; }

    /// <summary>Stable Diffusion 1.x's schedule (as in runwayml/stable-diffusion-v1-5's scheduler_config.json) under
    /// the given scheduler class.</summary>
    public static SchedulerConfigFile StableDiffusion(string className, string diffusersVersion) => new()
    {
        ClassName = className,
        DiffusersVersion = diffusersVersion,
        BetaEnd = 0.012,
        BetaSchedule = "scaled_linear",
        BetaStart = 0.00085,
        ClipSample = false,
        NumTrainTimesteps = 1000,
        PredictionType = "epsilon",
        SetAlphaToOne = false,
        SkipPrkSteps = true,
        StepsOffset = 1,
    };
}
