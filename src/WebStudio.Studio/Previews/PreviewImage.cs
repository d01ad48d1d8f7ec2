using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Studio.Previews;

/// <summary>
/// A denoising preview, encoded when first asked for and then kept: the worker only copies the step's pixels (the
/// latents change at the next step), and whoever reads <see cref="Bytes"/> first — a watcher's stream, a relay's
/// loop — pays for the encoding, once, however many read it. A step that nobody reads is never encoded. JPEG at the
/// preview's own size: about a tenth of the encoder time of a PNG and a quarter of its bytes at 64×64 (the browser
/// scales it smoothly, so the loss does not show).
/// </summary>
public sealed class PreviewImage
{
    public const string Jpeg = "image/jpeg";

    private static readonly JpegEncoder Encoder = new() { Quality = 85 };

    private readonly byte[]? _rgb;
    private readonly int _width, _height;
    private byte[]? _bytes;
    private object? _gate;

    private PreviewImage(byte[]? rgb, int width, int height, byte[]? bytes, string mediaType)
    {
        (_rgb, _width, _height, _bytes, MediaType) = (rgb, width, height, bytes, mediaType);
    }

    /// <summary>The IANA media type of <see cref="Bytes"/>.</summary>
    public string MediaType { get; }

    /// <summary>Whether the picture has been encoded (tests: a preview nobody reads costs no encoding).</summary>
    public bool IsEncoded => Volatile.Read(ref _bytes) is not null;

    /// <summary>The encoded picture; encoded now on the caller's thread if nobody asked before.</summary>
    public byte[] Bytes => LazyInitializer.EnsureInitialized(ref _bytes, ref _gate, Encode);

    /// <summary>A picture from RGB24 pixels (the caller hands them over and must not change them).</summary>
    public static PreviewImage FromPixels(byte[] rgb, int width, int height) => new(rgb, width, height, null, Jpeg);

    /// <summary>A picture encoded elsewhere (a frame relayed from another process); its format is read from its bytes.</summary>
    public static PreviewImage FromEncoded(byte[] bytes) => new(null, 0, 0, bytes, Sniff(bytes));

    private byte[] Encode()
    {
        using var image = Image.LoadPixelData<Rgb24>(_rgb!, _width, _height);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, Encoder);
        return stream.ToArray();
    }

    private static string Sniff(byte[] bytes) => bytes switch
    {
        [0xFF, 0xD8, ..] => Jpeg,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => "image/png",
    };
}
