using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>text_encoder/config.json (transformers' CLIPTextModel), as exporters that copy it write it.</summary>
public sealed record ClipTextConfigFile
{
    [JsonPropertyName("_name_or_path")]
    public string? NameOrPath { get; init; }

    public string[]? Architectures { get; init; }
    public string? HiddenAct { get; init; }
    public int? HiddenSize { get; init; }
    public int? IntermediateSize { get; init; }
    public int? MaxPositionEmbeddings { get; init; }
    public string? ModelType { get; init; }
    public int? NumAttentionHeads { get; init; }
    public int? NumHiddenLayers { get; init; }
    public int? ProjectionDim { get; init; }
    public string? TorchDtype { get; init; }
    public int? VocabSize { get; init; }
}
