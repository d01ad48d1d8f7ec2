using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// Turns an uploaded mask file into the pipeline's mask: an <see cref="Image{L8}"/> the size of the image, where 255
/// is repainted and 0 is kept. The file passes the same checks as an image upload.
/// </summary>
public static class MaskUpload
{
    public static Image<L8> Read(Stream stream, int imageWidth, int imageHeight,
        MaskConvention convention = MaskConvention.WhiteIsEdit, ImageUploadLimits? limits = null)
    {
        limits ??= ImageUploadLimits.Default;
        return Read(ImageUpload.ReadCapped(stream, limits, "mask"), imageWidth, imageHeight, convention, limits);
    }

    public static Image<L8> Read(byte[] file, int imageWidth, int imageHeight,
        MaskConvention convention = MaskConvention.WhiteIsEdit, ImageUploadLimits? limits = null)
    {
        using var rgba = ImageUpload.DecodeRgba(file, limits ?? ImageUploadLimits.Default, "mask", out _);
        if (rgba.Width != imageWidth || rgba.Height != imageHeight)
        {
            throw new ImageUploadException(ImageUploadException.MaskSizeMismatch,
                $"The mask is {rgba.Width}×{rgba.Height} pixels but the image is {imageWidth}×{imageHeight}; they must be the same size.");
        }

        var mask = new Image<L8>(rgba.Width, rgba.Height);
        rgba.ProcessPixelRows(mask, (source, target) =>
        {
            for (var y = 0; y < source.Height; y++)
            {
                var from = source.GetRowSpan(y);
                var to = target.GetRowSpan(y);
                for (var x = 0; x < from.Length; x++)
                {
                    to[x] = new L8(convention == MaskConvention.TransparentIsEdit
                        ? (byte)(255 - from[x].A)
                        : (byte)((Luma(from[x]) * from[x].A + 127) / 255));
                }
            }
        });
        return mask;
    }

    // Rec. 601 luma, the weights ImageSharp itself uses for L8.
    private static int Luma(Rgba32 p) => (int)MathF.Round(0.299f * p.R + 0.587f * p.G + 0.114f * p.B);
}
