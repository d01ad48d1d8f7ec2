using Microsoft.Extensions.Configuration.Json;

namespace WebStudio.Studio;

/// <summary>
/// The studio's hosts (the web app and the worker) read exactly one settings file: the repository root's
/// appsettings.json, which the build copies beside the binaries. It takes the place of the host's default
/// appsettings(.Environment).json sources, so environment variables and the command line still override it.
/// </summary>
public static class StudioConfiguration
{
    public static string SettingsPath => Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    public static void UseStudioSettingsFile(this ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource);
        foreach (var json in sources.OfType<JsonConfigurationSource>().ToList())
        {
            sources.Remove(json);
        }

        var file = new JsonConfigurationSource { Path = SettingsPath, Optional = false, ReloadOnChange = false };
        file.ResolveFileProvider();
        sources.Insert(index < 0 ? 0 : Math.Min(index, sources.Count), file);
    }
}
