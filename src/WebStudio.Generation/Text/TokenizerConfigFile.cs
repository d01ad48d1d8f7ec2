using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebStudio.Generation.Text;

/// <summary>The keys read from tokenizer/tokenizer_config.json and tokenizer/special_tokens_map.json (snake_case
/// names through <see cref="Models.Diffusers.DiffusersJson.Options"/>); transformers writes many more.</summary>
internal sealed record TokenizerConfigFile
{
    public SpecialToken? PadToken { get; init; }

    /// <summary>A double: transformers writes int(1e30) for "no limit".</summary>
    public double? ModelMaxLength { get; init; }
}

/// <summary>A special token, written either as its text or as an AddedToken object with "content".</summary>
[JsonConverter(typeof(SpecialTokenConverter))]
internal sealed record SpecialToken(string Content);

internal sealed class SpecialTokenConverter : JsonConverter<SpecialToken>
{
    public override SpecialToken Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var token = JsonDocument.ParseValue(ref reader);
        return token.RootElement switch
        {
            { ValueKind: JsonValueKind.String } text => new(text.GetString()!),
            { ValueKind: JsonValueKind.Object } added when added.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String => new(content.GetString()!),
            _ => throw new JsonException("must be a string or an object with \"content\""),
        };
    }

    public override void Write(Utf8JsonWriter writer, SpecialToken value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Content);
}
