using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>An edit's source image and optional mask, at the size the job runs at.</summary>
public sealed class ApiEditInput(Image<Rgb24> image, Image<L8>? mask) : IDisposable
{
    public Image<Rgb24> Image { get; } = image;
    public Image<L8>? Mask { get; } = mask;

    public void Dispose()
    {
        Image.Dispose();
        Mask?.Dispose();
    }
}

/// <summary>
/// Uploaded files through the imaging upload rules (format by content, size limits, EXIF orientation), then
/// resized to the job size. The mask uses OpenAI's convention: fully transparent pixels are repainted.
/// </summary>
public static class ApiUploads
{
    public static ApiEditInput Read(ImageRequest request)
    {
        Image<Rgb24>? image = null;
        Image<L8>? mask = null;
        try
        {
            using (var upload = ImageUpload.Read(request.Image!))
            {
                image = upload.Image.Clone();
            }

            if (request.Mask is { } maskFile)
            {
                mask = MaskUpload.Read(maskFile, image.Width, image.Height, MaskConvention.TransparentIsEdit);
            }
        }
        catch (ImageUploadException ex)
        {
            image?.Dispose();
            throw ToApiException(ex, image is null ? "image" : "mask");
        }

        var size = request.Size ?? SizePresets.FitUpload(image.Width, image.Height);
        if (image.Width != size.Width || image.Height != size.Height)
        {
            image.Mutate(c => c.Resize(size.Width, size.Height, KnownResamplers.Bicubic));
            mask?.Mutate(c => c.Resize(size.Width, size.Height, KnownResamplers.NearestNeighbor));
        }

        return new ApiEditInput(image, mask);
    }

    public static ApiException ToApiException(ImageUploadException ex, string param) => ex.Code == ImageUploadException.TooLarge
        ? new ApiException(StatusCodes.Status413PayloadTooLarge, ex.Message, param, "file_too_large")
        : ApiException.BadField(param, ex.Message, ex.Code);
}
