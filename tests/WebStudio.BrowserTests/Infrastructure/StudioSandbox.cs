using Microsoft.Data.Sqlite;
using WebStudio.Onnx.TestModels;

namespace WebStudio.BrowserTests.Infrastructure;

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
    /// Serves the repository's models folder when the built-in model is there (read only), else the tiny model;
    /// WEBSTUDIO_TEST_MODEL=tiny forces the tiny one. Returns the model name to generate with and its native size.
    /// </summary>
    public (string Name, int Size) UseBuiltInModelOrTiny()
    {
        var forceTiny = Environment.GetEnvironmentVariable("WEBSTUDIO_TEST_MODEL") == TinyModelName;
        if (!forceTiny && StudioPaths.BuiltInModel is { } builtIn)
        {
            ModelsPath = Path.GetDirectoryName(builtIn)!;
            return (Path.GetFileName(builtIn), 128);
        }

        return (AddTinyModel(), 64);
    }

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
