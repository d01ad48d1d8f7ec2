using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>model_index.json: the pipeline class and each part's [library, class] (null pairs for absent parts).
/// Other parts a real folder lists are not needed here and are skipped.</summary>
public sealed record ModelIndexFile : DiffusersConfigFile
{
    public string?[]? FeatureExtractor { get; init; }

    /// <summary>SDXL: an empty negative prompt becomes zeros (true for the base, false for the refiner).</summary>
    public bool? ForceZerosForEmptyPrompt { get; init; }
    /// <summary>SDXL refiner: time_ids end with the aesthetic score instead of the target size (5 values).</summary>
    public bool? RequiresAestheticsScore { get; init; }
    public bool? RequiresSafetyChecker { get; init; }
    public string?[]? SafetyChecker { get; init; }
    public string?[]? Scheduler { get; init; }
    public string?[]? TextEncoder { get; init; }

    // The naming policy would write "text_encoder2".
    [JsonPropertyName("text_encoder_2")]
    public string?[]? TextEncoder2 { get; init; }
    public string?[]? Tokenizer { get; init; }

    [JsonPropertyName("tokenizer_2")]
    public string?[]? Tokenizer2 { get; init; }

    // "Unet", not "UNet": the naming policy would make that "u_net".
    public string?[]? Unet { get; init; }
    public string?[]? VaeDecoder { get; init; }
    public string?[]? VaeEncoder { get; init; }

    /// <summary>Written by our trainer; read when the VAE's config does not give scaling_factor.</summary>
    public float? VaeScalingFactor { get; init; }
}
