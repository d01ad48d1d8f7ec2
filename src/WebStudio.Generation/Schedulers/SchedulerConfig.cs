using System.Text.Json;

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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source} must hold a JSON object, not {document.RootElement.ValueKind}.");
            }

            var reader = new ConfigReader(document.RootElement, source);
            var defaults = StableDiffusionDefault;
            if (reader.Bool("thresholding", false))
            {
                throw new InvalidDataException($"{source}: key 'thresholding' is true, but dynamic thresholding is not supported (it is meant for pixel-space models).");
            }

            var config = new SchedulerConfig
            {
                NumTrainTimesteps = reader.Int("num_train_timesteps", defaults.NumTrainTimesteps, min: 2),
                BetaStart = reader.Double("beta_start", defaults.BetaStart),
                BetaEnd = reader.Double("beta_end", defaults.BetaEnd),
                BetaSchedule = reader.Choice("beta_schedule", defaults.BetaSchedule, "linear", "scaled_linear", "squaredcos_cap_v2"),
                TrainedBetas = reader.FloatList("trained_betas"),
                StepsOffset = reader.Int("steps_offset", defaults.StepsOffset, min: 0),
                TimestepSpacing = reader.Choice("timestep_spacing", defaults.TimestepSpacing, "leading", "linspace", "trailing"),
                PredictionType = reader.Choice("prediction_type", defaults.PredictionType, "epsilon", "v_prediction"),
                ClipSample = reader.Bool("clip_sample", defaults.ClipSample),
                ClipSampleRange = reader.Double("clip_sample_range", defaults.ClipSampleRange),
                SetAlphaToOne = reader.Bool("set_alpha_to_one", defaults.SetAlphaToOne),
                SkipPrkSteps = reader.Bool("skip_prk_steps", defaults.SkipPrkSteps),
                UseKarrasSigmas = reader.Bool("use_karras_sigmas", defaults.UseKarrasSigmas),
                RescaleBetasZeroSnr = reader.Bool("rescale_betas_zero_snr", defaults.RescaleBetasZeroSnr),
                OriginalInferenceSteps = reader.Int("original_inference_steps", defaults.OriginalInferenceSteps, min: 1),
                TimestepScaling = reader.Double("timestep_scaling", defaults.TimestepScaling),
            };
            if (config.TrainedBetas is { } betas && betas.Count != config.NumTrainTimesteps)
            {
                throw new InvalidDataException($"{source}: key 'trained_betas' holds {betas.Count} values, but num_train_timesteps is {config.NumTrainTimesteps}.");
            }

            return config;
        }
    }

    /// <summary>Typed access to optional keys; a null value counts as missing, a wrong type is an error naming the key.</summary>
    private sealed class ConfigReader(JsonElement root, string source)
    {
        public int Int(string key, int fallback, int min)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result) || result < min)
            {
                throw Error(key, $"must be a whole number of at least {min}", value);
            }

            return result;
        }

        public double Double(string key, double fallback)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            if (value.ValueKind != JsonValueKind.Number)
            {
                throw Error(key, "must be a number", value);
            }

            return value.GetDouble();
        }

        public bool Bool(string key, bool fallback)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(key, "must be true or false", value),
            };
        }

        public string Choice(string key, string fallback, params string[] allowed)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (text is null || !allowed.Contains(text, StringComparer.Ordinal))
            {
                throw Error(key, $"must be one of {string.Join(", ", allowed)}", value);
            }

            return text;
        }

        public IReadOnlyList<float>? FloatList(string key)
        {
            if (!TryGet(key, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Number))
            {
                throw Error(key, "must be a list of numbers", value);
            }

            return value.EnumerateArray().Select(item => (float)item.GetDouble()).ToArray();
        }

        private bool TryGet(string key, out JsonElement value) =>
            root.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

        private InvalidDataException Error(string key, string rule, JsonElement value) =>
            new($"{source}: key '{key}' {rule}, but it is {value.GetRawText()}.");
    }
}
