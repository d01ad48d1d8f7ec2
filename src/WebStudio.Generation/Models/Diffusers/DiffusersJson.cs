using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>
/// Reads and writes the config files of a diffusers folder (model_index.json, scheduler_config.json, the
/// components' config.json) through records whose property names map to diffusers' keys by the snake_case policy.
/// Written as diffusers writes them: indented, unescaped, "\n" line ends, keys in the records' (alphabetical)
/// order, so that written folders are byte-identical on every platform; keys a record leaves null are not written.
/// </summary>
public static class DiffusersJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static void Write<T>(string path, T config)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(config, Options) + "\n");
    }

    /// <summary>Parses <paramref name="json"/>; a syntax error or a key of the wrong type throws
    /// <see cref="JsonException"/> (its message names the key's path), and so does anything but an object.</summary>
    public static T Parse<T>(string json) where T : class
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.Deserialize<T>(Options)!
            : throw new JsonException($"The root must be a JSON object, not {document.RootElement.ValueKind}.");
    }

    /// <summary>Reads <paramref name="relative"/> in a model folder; null when it is optional and absent.</summary>
    public static T? Read<T>(string folder, string relative, bool required) where T : class
    {
        var path = Path.Combine(folder, relative);
        if (!File.Exists(path))
        {
            return required ? throw new ModelLoadException($"The model folder has no {relative}.") : null;
        }

        try
        {
            return Parse<T>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{relative} is not valid JSON for its config: {ex.Message}", ex);
        }
    }

    /// <summary>A model_index.json entry: [library, class name], both null for an absent part.</summary>
    public static string?[] Pair(string? library, string? className) => [library, className];
}
