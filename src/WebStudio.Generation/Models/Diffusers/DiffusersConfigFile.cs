using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>The two keys every diffusers config starts with. Ordered first: System.Text.Json would otherwise write
/// a base record's properties after the derived record's.</summary>
public abstract record DiffusersConfigFile
{
    [JsonPropertyName("_class_name")]
    [JsonPropertyOrder(-2)]
    public string? ClassName { get; init; }

    [JsonPropertyName("_diffusers_version")]
    [JsonPropertyOrder(-1)]
    public string? DiffusersVersion { get; init; }
}
