using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebStudio.Onnx;

/// <summary>
/// The config files of a diffusers folder (model_index.json, scheduler and component configs) as diffusers writes
/// them: indented, unescaped, "\n" line ends, so that written folders are byte-identical on every platform.
/// </summary>
public static class DiffusersJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, JsonNode node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, node.ToJsonString(Options) + "\n");
    }

    public static JsonArray Ints(params IEnumerable<int> values) => new([.. values.Select(v => (JsonNode)v)]);

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>A model_index.json entry: [library, class name], both null for an absent part.</summary>
    public static JsonArray Pair(string? library, string? className) => new(library, className);
}
