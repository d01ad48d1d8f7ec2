using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// Turns an uploaded file into an upright image, or refuses it with an <see cref="ImageUploadException"/>.
/// The format is detected from the content (never the file name or content type), and the header is read with
/// <see cref="Image.Identify(Configuration, Stream)"/> before anything is decoded, so a small file that declares
/// a huge canvas (a decompression bomb) is refused without allocating its pixels.
/// </summary>
public static class ImageUpload
{
    private static readonly string[] Accepted = ["PNG", "JPEG", "WEBP"];

    /// <summary>Reads at most <see cref="ImageUploadLimits.MaxBytes"/> + 1 bytes of <paramref name="stream"/> and decodes them.</summary>
    public static UploadedImage Read(Stream stream, ImageUploadLimits? limits = null)
    {
        limits ??= ImageUploadLimits.Default;
        return Read(ReadCapped(stream, limits, "image"), limits);
    }

    public static UploadedImage Read(byte[] file, ImageUploadLimits? limits = null)
    {
        using var rgba = DecodeRgba(file, limits ?? ImageUploadLimits.Default, "image", out var format);
        return Split(rgba, format);
    }

    /// <summary>The upload flattened onto white, for img2img; the alpha channel is dropped.</summary>
    public static Image<Rgb24> ReadRgb(byte[] file, ImageUploadLimits? limits = null)
    {
        using var upload = Read(file, limits);
        return upload.Image.Clone();
    }

    public static Image<Rgb24> ReadRgb(Stream stream, ImageUploadLimits? limits = null)
    {
        using var upload = Read(stream, limits);
        return upload.Image.Clone();
    }

    /// <summary>Validates and decodes to RGBA, upright. <paramref name="what"/> ("image", "mask") goes into messages.</summary>
    internal static Image<Rgba32> DecodeRgba(byte[] file, ImageUploadLimits limits, string what, out string format)
    {
        if (file.Length == 0)
        {
            throw new ImageUploadException(ImageUploadException.Empty, $"The {what} file is empty.");
        }

        if (file.Length > limits.MaxBytes)
        {
            throw TooLarge(what, limits);
        }

        format = Detect(file, what);
        if (!FileCompleteness.IsComplete(file, format))
        {
            throw new ImageUploadException(ImageUploadException.Corrupt,
                $"The {what} file is incomplete: the {format} data stops before its end. Upload the file again.");
        }

        var (width, height) = UprightSize(file, what, format);
        if (width > limits.MaxWidth || height > limits.MaxHeight)
        {
            throw new ImageUploadException(ImageUploadException.TooManyPixels,
                $"The {what} is {width}×{height} pixels; at most {limits.MaxWidth}×{limits.MaxHeight} is accepted.");
        }

        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(Configuration.Default, file);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw Corrupt(what, format, ex);
        }

        image.Mutate(c => c.AutoOrient());
        return image;
    }

    internal static byte[] ReadCapped(Stream stream, ImageUploadLimits limits, string what)
    {
        var maxBytes = limits.MaxBytes;
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw TooLarge(what, limits);
        }

        // One byte past the limit is enough to know the upload is too large; the rest is never read.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static string Detect(byte[] file, string what)
    {
        var detected = Image.DetectFormat(Configuration.Default, file);
        var name = detected?.Name.ToUpperInvariant();
        if (name is null || !Accepted.Contains(name))
        {
            var found = name is null ? "not an image format WebStudio recognises" : $"a {name} image";
            throw new ImageUploadException(ImageUploadException.UnsupportedFormat,
                $"The {what} file is {found}; upload a PNG, JPEG or WebP image.");
        }

        return name;
    }

    // EXIF orientations 5–8 turn the image a quarter, so the limits apply to the swapped size.
    private static (int Width, int Height) UprightSize(byte[] file, string what, string format)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(Configuration.Default, file, out _);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw Corrupt(what, format, ex);
        }

        if (info is null)
        {
            throw Corrupt(what, format, null);
        }

        var orientation = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? ExifOrientationMode.TopLeft;
        return orientation is >= ExifOrientationMode.LeftTop and <= ExifOrientationMode.LeftBottom
            ? (info.Height, info.Width)
            : (info.Width, info.Height);
    }

    // Flattening onto white matches how browsers show a transparent image on a page.
    private static UploadedImage Split(Image<Rgba32> rgba, string format)
    {
        var rgb = new Image<Rgb24>(rgba.Width, rgba.Height);
        var alpha = new Image<L8>(rgba.Width, rgba.Height);
        var translucent = false;
        rgba.ProcessPixelRows(rgb, alpha, (source, colour, mask) =>
        {
            for (var y = 0; y < source.Height; y++)
            {
                var from = source.GetRowSpan(y);
                var toColour = colour.GetRowSpan(y);
                var toMask = mask.GetRowSpan(y);
                for (var x = 0; x < from.Length; x++)
                {
                    var p = from[x];
                    toMask[x] = new L8(p.A);
                    if (p.A == 255)
                    {
                        toColour[x] = new Rgb24(p.R, p.G, p.B);
                        continue;
                    }

                    translucent = true;
                    toColour[x] = new Rgb24(OverWhite(p.R, p.A), OverWhite(p.G, p.A), OverWhite(p.B, p.A));
                }
            }
        });

        if (!translucent)
        {
            alpha.Dispose();
            return new UploadedImage(rgb, null, format);
        }

        return new UploadedImage(rgb, alpha, format);
    }

    // Decoders throw many exception types on hostile data; any of them means the file is unusable, except
    // running out of memory, which is the server's problem rather than the file's.
    private static bool IsDecodeFailure(Exception ex) => ex is not (OutOfMemoryException or OperationCanceledException);

    private static byte OverWhite(byte value, byte alpha) => (byte)((value * alpha + 255 * (255 - alpha) + 127) / 255);

    private static ImageUploadException TooLarge(string what, ImageUploadLimits limits) =>
        new(ImageUploadException.TooLarge,
            $"The {what} file is larger than {limits.MaxBytes / (1024.0 * 1024.0):0.#} MB, the most that is accepted.");

    private static ImageUploadException Corrupt(string what, string format, Exception? inner) =>
        new(ImageUploadException.Corrupt, $"The {what} file could not be read as a {format} image: it is damaged.", inner);
}
