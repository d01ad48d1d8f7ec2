using WebStudio.Studio.Engine;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>The web tests' usual studio: in process on the test's folder, on the scripted engine unless a test gives another.</summary>
public static class ScriptedStudio
{
    /// <summary>A host that starts on first use; <paramref name="settings"/> go over the defaults.</summary>
    public static StudioHost Create(TempFolder folder, IGenerationEngine? engine = null, IReadOnlyDictionary<string, string?>? settings = null) => StudioHost.Create(new StudioHostOptions
    {
        DataFolder = folder.Path,
        Engine = engine ?? new ScriptedEngine(),
        TinyModel = null,
        Settings = settings ?? new Dictionary<string, string?>(),
    });
}
