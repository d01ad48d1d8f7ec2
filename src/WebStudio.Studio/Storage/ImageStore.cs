using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Storage;

/// <summary>
/// The folder of finished PNGs. Files are written to a temporary name and renamed, so a crash never leaves a
/// half-written image under a name the database points at. Names come from ids, never from user input. Not sealed:
/// tests hold or break its writes (tests/Shared/Studio/GatedImageStore.cs).
/// </summary>
public class ImageStore
{
    // A1111 writes an uncompressed tEXt chunk; ImageSharp would otherwise zip long texts into zTXt.
    private static readonly PngEncoder Encoder = new() { TextCompressionThreshold = int.MaxValue };

    public ImageStore(IOptions<StorageOptions> options)
    {
        Root = Path.GetFullPath(options.Value.ImagesPath);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="image"/> with its A1111 parameters and its <see cref="Provenance"/>; returns the file name relative to the root.</summary>
    public virtual async Task<string> SaveAsync(Guid imageId, DateTime createdAt, Image<Rgb24> image, string parameters, CancellationToken cancellationToken)
    {
        var relative = Path.Combine(createdAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), imageId.ToString("N") + ".png");
        var final = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = final + ".tmp";

        var png = image.Metadata.GetPngMetadata();
        png.TextData.Clear();
        png.TextData.Add(new PngTextData(A1111Parameters.ChunkKeyword, parameters, "", ""));
        Provenance.Stamp(image.Metadata);
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            await image.SaveAsPngAsync(stream, Encoder, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, final, overwrite: true);
        return relative.Replace('\\', '/');
    }

    /// <summary>The full path of a stored file, or null when the name would leave the root or the file is gone.</summary>
    public string? Resolve(string fileName)
    {
        var full = Path.GetFullPath(Path.Combine(Root, fileName));
        var inside = full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && File.Exists(full) ? full : null;
    }
}
