using System.Text.Json.Serialization;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// The settings a model is best run with, from the <c>defaults</c> block of its card.json, e.g. for SD-Turbo
/// <c>{"defaults": {"steps": 1, "guidance": 0, "width": 512, "height": 512}}</c>, or for an instruction model
/// <c>{"defaults": {"imageGuidance": 3}}</c>.
/// Each is optional: what a model does not say, the studio's own default gives. The Generate form takes them when the
/// model is chosen, and the OpenAI API for a field a request leaves out.
/// </summary>
public sealed record ModelGenerationDefaults
{
    [JsonPropertyName("width")]
    public int? Width { get; init; }

    [JsonPropertyName("height")]
    public int? Height { get; init; }

    [JsonPropertyName("steps")]
    public int? Steps { get; init; }

    /// <summary>A scheduler name as the form and JobSpec take it (one of SchedulerNames.All, e.g. "Euler a", "DPM++ 2M").</summary>
    [JsonPropertyName("sampler")]
    public string? Sampler { get; init; }

    [JsonPropertyName("guidance")]
    public float? Guidance { get; init; }

    /// <summary>An instruction model's image guidance (InstructPix2Pix's <c>image_guidance_scale</c>): how closely an
    /// edit keeps the input picture.</summary>
    [JsonPropertyName("imageGuidance")]
    public float? ImageGuidance { get; init; }

    /// <summary>An instruction model's automatic mask (<c>InstructionEdit.AutoMaskThreshold</c>): its edits keep what the
    /// instruction does not touch unless asked otherwise. Absent: off.</summary>
    [JsonPropertyName("autoMask")]
    public float? AutoMask { get; init; }
}
