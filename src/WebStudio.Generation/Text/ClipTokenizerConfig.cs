using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebStudio.Generation.Text;

/// <summary>The optional settings in tokenizer/tokenizer_config.json and tokenizer/special_tokens_map.json:
/// the padding token (SD 1.x pads with "&lt;|endoftext|&gt;", SD 2.x with "!") and the sequence length.</summary>
internal sealed record ClipTokenizerConfig(string? PadToken, int MaxLength)
{
    public const string ConfigFile = "tokenizer_config.json";
    public const string SpecialTokensFile = "special_tokens_map.json";
    public const int DefaultMaxLength = 77;

    // transformers writes a huge sentinel (int(1e30)) for "no limit"; CLIP text encoders are 77 long then.
    private const double UnsetLengthSentinel = 1e6;

    public static ClipTokenizerConfig Read(string tokenizerDir)
    {
        var config = ReadObject(tokenizerDir, ConfigFile);
        var specialTokens = ReadObject(tokenizerDir, SpecialTokensFile);

        // tokenizer_config.json wins, as in transformers; special_tokens_map.json fills the gap.
        var pad = TokenContent(config, "pad_token", ConfigFile) ?? TokenContent(specialTokens, "pad_token", SpecialTokensFile);
        return new ClipTokenizerConfig(pad, ReadMaxLength(config));
    }

    private static JsonObject? ReadObject(string tokenizerDir, string file)
    {
        var path = Path.Combine(tokenizerDir, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"tokenizer/{file} is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"tokenizer/{file} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>A special token is written either as a string or as an AddedToken object with "content".</summary>
    private static string? TokenContent(JsonObject? json, string key, string file)
    {
        var node = json?[key];
        return node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject obj when obj["content"] is JsonValue content && content.TryGetValue<string>(out var text) => text,
            _ => throw new InvalidDataException($"tokenizer/{file}: \"{key}\" must be a string or an object with \"content\"."),
        };
    }

    private static int ReadMaxLength(JsonObject? config)
    {
        var node = config?["model_max_length"];
        if (node is null)
        {
            return DefaultMaxLength;
        }

        if (node is not JsonValue value || !value.TryGetValue<double>(out var length) || length < 3 || length != Math.Floor(length))
        {
            throw new InvalidDataException($"tokenizer/{ConfigFile}: \"model_max_length\" must be a whole number of at least 3, not {node.ToJsonString()}.");
        }

        return length >= UnsetLengthSentinel ? DefaultMaxLength : (int)length;
    }
}
