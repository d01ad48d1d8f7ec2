using System.Security.Claims;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;

namespace WebStudio.Studio.Editing;

/// <summary>Opens an edit's source for one user: their history image or their upload, else nothing.</summary>
public sealed class SourceImages(JobAccess access, ImageStore images, UploadStore uploads)
{
    /// <summary>The source's pixels (the caller disposes them), or null when the user cannot see it.</summary>
    public async Task<Image<Rgb24>?> LoadAsync(EditSource source, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var path = await PathAsync(source, user, cancellationToken);
        return path is null ? null : await Image.LoadAsync<Rgb24>(path, cancellationToken);
    }

    /// <summary>Width and height from the PNG header only.</summary>
    public async Task<Size?> SizeAsync(EditSource source, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var path = await PathAsync(source, user, cancellationToken);
        if (path is null)
        {
            return null;
        }

        var info = await Image.IdentifyAsync(path);
        return info is null ? null : new Size(info.Width, info.Height);
    }

    private async Task<string?> PathAsync(EditSource source, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (JobAccess.UserId(user) is not { } userId)
        {
            return null;
        }

        if (source.Kind == EditSourceKind.Upload)
        {
            return uploads.SourcePath(userId, source.Id);
        }

        var image = await access.FindImageAsync(source.Id, user, cancellationToken);
        return image is null ? null : images.Resolve(image.FileName);
    }
}
