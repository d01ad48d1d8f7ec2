using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// The default model chosen with the model manager, kept in the models folder (<see cref="FileName"/>) beside the
/// models it names, so that the web app, the worker and the CLI on that folder agree. Where the file names a model,
/// it takes the place of Generation:DefaultModel at start-up (a PostConfigure of <see cref="GenerationOptions"/>),
/// so <see cref="GenerationOptions.DefaultModel"/> stays the one place every page and API reads it from.
/// </summary>
public static class DefaultModelFile
{
    public const string FileName = "default-model.json";

    /// <summary>The model the file in <paramref name="modelsPath"/> names, or null when there is none (or it cannot be read).</summary>
    public static string? Read(string modelsPath)
    {
        var path = Path.Combine(modelsPath, FileName);
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["defaultModel"]?.GetValue<string>() is { } name
                && ModelFolderName.IsValid(name) ? name : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null; // Generation:DefaultModel then stands
        }
    }

    public static void Write(string modelsPath, string name)
    {
        var path = Path.Combine(modelsPath, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, new JsonObject { ["defaultModel"] = name }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Applies the file to the options of every host that registers the studio core.</summary>
    internal sealed class Apply : IPostConfigureOptions<GenerationOptions>
    {
        public void PostConfigure(string? name, GenerationOptions options)
        {
            if (Read(options.ModelsPath) is { } chosen)
            {
                options.DefaultModel = chosen;
            }
        }
    }
}
