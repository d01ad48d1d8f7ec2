namespace WebStudio.Generation.Tests.Text;

/// <summary>A throw-away tokenizer/ folder under the system temp directory (never inside the repo),
/// optionally seeded with the shared CLIP vocab and merges.</summary>
internal sealed class TokenizerFolder : IDisposable
{
    private TokenizerFolder(string path) => Path = path;

    public string Path { get; }

    public static TokenizerFolder Empty()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "webstudio-text-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new TokenizerFolder(path);
    }

    public static TokenizerFolder WithClipVocab()
    {
        var folder = Empty();
        System.IO.File.Copy(System.IO.Path.Combine(SharedClipData.Folder, "vocab.json"), folder.File("vocab.json"));
        System.IO.File.Copy(System.IO.Path.Combine(SharedClipData.Folder, "merges.txt"), folder.File("merges.txt"));
        return folder;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Write(string name, string content) => System.IO.File.WriteAllText(File(name), content);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
