using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebStudio.Onnx.TestModels;

/// <summary>Indented, unescaped JSON with "\n" line ends, so written folders are byte-identical everywhere.</summary>
internal static class TinyJson
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

    public static JsonArray Ints(params int[] values) => new([.. values.Select(v => (JsonNode)v)]);

    public static JsonArray Pair(string? library, string? className) => new(library, className);
}
