using Microsoft.Data.Sqlite;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>
/// A temp folder holding everything one studio instance writes: its SQLite database, its images folder and a models
/// folder. It outlives server processes, so a test can kill a server and start another on the same data.
/// </summary>
public sealed class StudioSandbox : IDisposable
{
    public const string TinyModelName = "tiny";

    public StudioSandbox()
    {
        Folder = Path.Combine(Path.GetTempPath(), "webstudio-browser-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        ModelsPath = Path.Combine(Folder, "models");
        Directory.CreateDirectory(ModelsPath);
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "studio.db");

    public string ImagesPath => Path.Combine(Folder, "images");

    /// <summary>The folder the server reads models from (Generation:ModelsPath).</summary>
    public string ModelsPath { get; private set; }

    /// <summary>
    /// Writes a tiny test model (64×64 native) as "tiny" into this sandbox's models folder. The default is the
    /// largest tiny variant: still only milliseconds a step, but slow enough that per-step previews can be watched.
    /// </summary>
    public string AddTinyModel(TinyModelVariant? variant = null)
    {
        TinyStableDiffusion.Write(Path.Combine(ModelsPath, TinyModelName), variant ?? TinyModelVariant.Largest);
        return TinyModelName;
    }

    /// <summary>
    /// Serves the repository's models folder when the built-in model is there (read only), else the tiny model.
    /// WEBSTUDIO_TEST_MODEL overrides the choice: "tiny", or the folder of a 128×128 model to serve instead.
    /// Returns the model name to generate with and its native size.
    /// </summary>
    public (string Name, int Size) UseBuiltInModelOrTiny()
    {
        var choice = Environment.GetEnvironmentVariable("WEBSTUDIO_TEST_MODEL");
        var folder = string.IsNullOrEmpty(choice) ? StudioPaths.BuiltInModel : choice == TinyModelName ? null : Path.GetFullPath(choice);
        if (folder is not null)
        {
            if (!File.Exists(Path.Combine(folder, "model_index.json")))
            {
                throw new InvalidOperationException($"WEBSTUDIO_TEST_MODEL: {folder} holds no model_index.json");
            }

            ModelsPath = Path.GetDirectoryName(folder)!;
            return (Path.GetFileName(folder), 128);
        }

        return (AddTinyModel(), 64);
    }

    /// <summary>
    /// A studio as a child process on this sandbox (as `dotnet WebStudio.Web.dll` runs in production), with
    /// <paramref name="settings"/> over the test defaults; the default model stays the settings file's.
    /// </summary>
    public StudioHostOptions Options(IReadOnlyDictionary<string, string?>? settings = null) => new StudioHostOptions
    {
        Mode = StudioHostMode.ChildProcess,
        DataFolder = Folder,
        ModelsFolder = ModelsPath,
        TinyModel = null,
        Settings = new Dictionary<string, string?> { ["Generation:DefaultModel"] = null },
    }.With(settings ?? new Dictionary<string, string?>());

    public void Dispose()
    {
        // Pooled connections of a test's own checks would keep the database file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A server killed a moment ago may still hold a file; the temp folder is cleaned by the system later.
        }
    }
}
