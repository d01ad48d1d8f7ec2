using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Editing;

/// <summary>
/// Source images and masks uploaded for editing, as PNGs beside the image folder ("uploads"), one folder per user.
/// The folder name is a hash of the user id, so an id from another account never resolves (it reads as not found),
/// and file names come from fresh GUIDs, never from the request.
/// </summary>
public sealed class UploadStore
{
    private readonly string _root;

    public UploadStore(IOptions<StorageOptions> options)
    {
        var images = Path.GetFullPath(options.Value.ImagesPath).TrimEnd(Path.DirectorySeparatorChar);
        _root = Path.Combine(Path.GetDirectoryName(images) ?? images, "uploads");
    }

    public Guid SaveSource(string userId, Image<Rgb24> image) => Save(userId, "source", image);

    public Guid SaveMask(string userId, Image<L8> mask) => Save(userId, "mask", mask);

    /// <summary>The stored source's path, or null when this user has no such upload.</summary>
    public string? SourcePath(string userId, Guid id) => Existing(FilePath(userId, id, "source"));

    public string? MaskPath(string userId, Guid id) => Existing(FilePath(userId, id, "mask"));

    /// <summary>Deletes uploads (and temp files a crash left) last written before <paramref name="cutoffUtc"/>,
    /// and the user folders that leaves empty. Returns how many files went.</summary>
    public int DeleteOlderThan(DateTime cutoffUtc)
    {
        if (!Directory.Exists(_root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (File.GetLastWriteTimeUtc(file) < cutoffUtc)
                {
                    File.Delete(file);
                    deleted++;
                }
            }

            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        return deleted;
    }

    private Guid Save(string userId, string kind, Image image)
    {
        var id = Guid.NewGuid();
        var path = FilePath(userId, id, kind);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Temp file then rename: a reader never sees half a PNG.
        var temp = path + ".tmp";
        image.SaveAsPng(temp);
        File.Move(temp, path, overwrite: true);
        return id;
    }

    private string FilePath(string userId, Guid id, string kind)
    {
        var owner = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32];
        return Path.Combine(_root, owner, $"{id:N}.{kind}.png");
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;
}
