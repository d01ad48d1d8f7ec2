using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Processing;
using WebStudio.Data;
using WebStudio.Studio.Storage;

namespace WebStudio.Studio.History;

/// <summary>
/// 256-pixel WebP thumbnails, made once with ImageSharp and kept in a "thumbs" folder beside the images folder.
/// The history grid loads these instead of full PNGs, so a page of 48 items stays a few hundred kilobytes. The
/// worker writes each image's thumbnail when it stores the image (<see cref="SaveAsync"/>), so no History visit
/// waits for one; images stored before that get theirs on their first request (<see cref="GetOrCreateAsync"/>).
/// </summary>
public sealed class ThumbnailStore(ImageStore images)
{
    public const int Size = 256;

    private static readonly WebpEncoder Encoder = new() { Quality = 80, FileFormat = WebpFileFormatType.Lossy };

    public string Root { get; } = Path.Combine(Path.GetDirectoryName(images.Root) ?? images.Root, "thumbs");

    public string PathFor(Guid imageId) => Path.Combine(Root, $"{imageId:N}_{Size}.webp");

    /// <summary>The thumbnail's path, made now if missing; null when the image file itself is gone.</summary>
    public async Task<string?> GetOrCreateAsync(GeneratedImage image, CancellationToken cancellationToken)
    {
        var path = PathFor(image.Id);
        if (File.Exists(path))
        {
            return path;
        }

        if (images.Resolve(image.FileName) is not { } source)
        {
            return null;
        }

        using var picture = await Image.LoadAsync(source, cancellationToken);
        if (TooLarge(picture))
        {
            picture.Mutate(Shrink);
        }

        await WriteAsync(picture, path, cancellationToken);
        return path;
    }

    /// <summary>Writes the thumbnail of a new image from its pixels, which are left as they are.</summary>
    public async Task SaveAsync(Guid imageId, Image image, CancellationToken cancellationToken)
    {
        if (TooLarge(image))
        {
            using var smaller = image.Clone(Shrink);
            await WriteAsync(smaller, PathFor(imageId), cancellationToken);
        }
        else
        {
            await WriteAsync(image, PathFor(imageId), cancellationToken);
        }
    }

    private async Task WriteAsync(Image picture, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        // A unique temporary name, then a rename: two requests racing for one thumbnail both end with a whole file.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await picture.SaveAsWebpAsync(temp, Encoder, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    private static bool TooLarge(Image image) => image.Width > Size || image.Height > Size;

    // Max keeps the aspect ratio; smaller images keep their size (a thumbnail never enlarges).
    private static void Shrink(IImageProcessingContext p) => p.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(Size, Size) });

    public void Delete(Guid imageId) => File.Delete(PathFor(imageId));
}
