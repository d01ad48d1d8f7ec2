using System.Security.Claims;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Jobs;
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

    /// <summary>The source's resolution when it is a history image that was itself upscaled, so that an upscale of it
    /// keeps the native size and the chain; null for a native image, an upload, or one the user cannot see.</summary>
    public async Task<ImageResolution?> UpscaledResolutionAsync(EditSource source, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (source.Kind != EditSourceKind.Image
            || await access.FindImageAsync(source.Id, user, cancellationToken) is not { } image
            || await access.FindJobAsync(image.JobId, user, cancellationToken: cancellationToken) is not { } job)
        {
            return null;
        }

        try
        {
            var resolution = ImageResolution.For(job, image.Width, image.Height);
            return resolution.Upscaled ? resolution : null;
        }
        catch (InvalidDataException)
        {
            return null; // a spec this studio cannot read: the source counts as native, as before the chain was kept
        }
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
