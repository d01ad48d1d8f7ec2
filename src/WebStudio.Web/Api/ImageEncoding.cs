using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;

namespace WebStudio.Web.Api;

/// <summary>
/// The API's output_format and output_compression. For jpeg and webp, output_compression is the encoder quality
/// (100 best, OpenAI's default); png is lossless, and output_compression picks the zlib level (0–100 scaled to
/// 0–9; ImageSharp's default level 6 when not given).
/// </summary>
public static class ImageEncoding
{
    public static string MediaType(string format) => format switch
    {
        "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "image/png",
    };

    /// <summary>Encodes <paramref name="image"/> with the studio's <see cref="Provenance"/> (XMP in every format).</summary>
    public static byte[] Encode(Image image, string format, int? compression)
    {
        Provenance.Stamp(image.Metadata);
        using var stream = new MemoryStream();
        image.Save(stream, Encoder(format, compression));
        return stream.ToArray();
    }

    private static IImageEncoder Encoder(string format, int? compression) => format switch
    {
        "jpeg" => new JpegEncoder { Quality = Math.Max(1, compression ?? 100) },
        "webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = Math.Max(1, compression ?? 100) },
        _ => new PngEncoder
        {
            CompressionLevel = compression is { } level ? (PngCompressionLevel)(int)Math.Round(level * 9 / 100.0) : PngCompressionLevel.DefaultCompression,
        },
    };
}
