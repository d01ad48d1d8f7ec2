namespace WebStudio.Generation.Imaging;

/// <summary>An ONNX super-resolution model found in the upscalers folder, named by its file name without ".onnx".</summary>
public sealed record UpscalerDescriptor(string Name, string Path);

/// <summary>
/// The upscalers folder (models/upscalers/): every *.onnx file directly inside it is an upscaler. Names from
/// requests are matched against this list only, so no name ("..", slashes, an absolute path) can reach a file
/// outside the folder.
/// </summary>
public sealed class UpscalerCatalog
{
    public UpscalerCatalog(string folder)
    {
        Folder = System.IO.Path.GetFullPath(folder);
    }

    public string Folder { get; }

    public IReadOnlyList<UpscalerDescriptor> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, "*.onnx", SearchOption.TopDirectoryOnly)
            .Select(path => new UpscalerDescriptor(System.IO.Path.GetFileNameWithoutExtension(path), path))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The upscaler called <paramref name="name"/>, or <see cref="UpscalerNotFoundException"/>.</summary>
    public UpscalerDescriptor Find(string name) =>
        List().FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal))
        ?? throw new UpscalerNotFoundException(name ?? "");
}
