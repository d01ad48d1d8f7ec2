using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// A1111's "Inpaint area: Only masked": the masked area plus some padding is cut out, scaled up to the request's
/// size, inpainted there and scaled back into place. A small mask so gets the model's whole resolution, and the
/// model draws the prompt as the subject of a picture rather than as a detail of a larger one.
/// </summary>
public static class MaskedAreaInpainting
{
    /// <summary>
    /// The part of the image to inpaint: the mask's bounding box grown by <paramref name="padding"/>, then widened
    /// or heightened to the request's aspect ratio (so the scaling does not distort), all inside the image. Null when
    /// the mask is empty or the region would be the whole image anyway.
    /// </summary>
    public static Rectangle? Region(Image<L8> mask, int padding, int width, int height)
    {
        if (Bounds(mask) is not { } box)
        {
            return null;
        }

        var left = Math.Max(0, box.Left - padding);
        var top = Math.Max(0, box.Top - padding);
        var right = Math.Min(mask.Width, box.Right + padding);
        var bottom = Math.Min(mask.Height, box.Bottom + padding);
        var ratio = (double)width / height;
        var (regionWidth, regionHeight) = (right - left, bottom - top);
        if ((double)regionWidth / regionHeight < ratio)
        {
            var wanted = Math.Min(mask.Width, (int)Math.Ceiling(regionHeight * ratio));
            left = Math.Clamp(left - ((wanted - regionWidth) / 2), 0, mask.Width - wanted);
            regionWidth = wanted;
        }
        else
        {
            var wanted = Math.Min(mask.Height, (int)Math.Ceiling(regionWidth / ratio));
            top = Math.Clamp(top - ((wanted - regionHeight) / 2), 0, mask.Height - wanted);
            regionHeight = wanted;
        }

        var region = new Rectangle(left, top, regionWidth, regionHeight);
        return region.Width >= mask.Width && region.Height >= mask.Height ? null : region;
    }

    /// <summary>The request for the cut-out region at the request's own size. The caller disposes its two images.</summary>
    internal static GenerationRequest CropRequest(GenerationRequest request, Rectangle region)
    {
        var size = new Size(request.Width, request.Height);
        return request with
        {
            InitImage = request.InitImage!.Clone(x => x.Crop(region).Resize(size, KnownResamplers.Lanczos3, compand: false)),
            Mask = request.Mask!.Clone(x => x.Crop(region).Resize(size, KnownResamplers.Bicubic, compand: false)),
            InpaintOnlyMasked = false,
        };
    }

    /// <summary>
    /// A new image: the generated region scaled back and set into a copy of the original, then blended in through
    /// the original mask, so that every pixel outside the mask stays byte-identical.
    /// </summary>
    internal static Image<Rgb24> Compose(Image<Rgb24> generated, GenerationRequest request, Rectangle region)
    {
        using var scaled = generated.Clone(x => x.Resize(region.Size, KnownResamplers.Lanczos3, compand: false));
        var result = request.InitImage!.Clone(x => x.DrawImage(scaled, region.Location, 1f));
        ImageConditioning.PasteBack(result, request.InitImage!, request.Mask!, request.MaskFeather);
        return result;
    }

    private static Rectangle? Bounds(Image<L8> mask)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    if (row[x].PackedValue >= ImageConditioning.MaskThreshold)
                    {
                        (left, right) = (Math.Min(left, x), Math.Max(right, x));
                        (top, bottom) = (Math.Min(top, y), Math.Max(bottom, y));
                    }
                }
            }
        });
        return right < 0 ? null : Rectangle.FromLTRB(left, top, right + 1, bottom + 1);
    }
}
