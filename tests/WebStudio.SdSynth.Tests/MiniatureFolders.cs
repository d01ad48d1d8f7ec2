using WebStudio.SdSynth;

namespace WebStudio.SdSynth.Tests;

/// <summary>Writes the miniature SD 1.5 (and SDXL) folder once per precision for the whole test run (a second or two each).</summary>
public sealed class MiniatureFolders : IDisposable
{
    private readonly Dictionary<(string Architecture, bool Fp16), (string Folder, SynthReport Report)> _written = [];
    private readonly object _gate = new();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "webstudio-sdsynth-" + Guid.NewGuid().ToString("N"));

    public (string Folder, SynthReport Report) Get(bool fp16, SdArchitecture? architecture = null)
    {
        architecture ??= SdArchitecture.Miniature;
        lock (_gate)
        {
            if (!_written.TryGetValue((architecture.Name, fp16), out var entry))
            {
                var folder = Path.Combine(Root, $"{architecture.Name}-{SynthFolder.Precision(fp16)}");
                entry = (folder, SynthFolder.Write(folder, architecture, fp16));
                _written[(architecture.Name, fp16)] = entry;
            }

            return entry;
        }
    }

    /// <summary>A private copy of a written folder, for tests that damage it.</summary>
    public string Copy(bool fp16, string name)
    {
        var source = Get(fp16).Folder;
        var destination = Path.Combine(Root, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return destination;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MiniatureCollection : ICollectionFixture<MiniatureFolders>
{
    public const string Name = "miniature SD folders";
}
