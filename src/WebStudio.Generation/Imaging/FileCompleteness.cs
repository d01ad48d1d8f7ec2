using System.Buffers.Binary;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// Checks that a PNG, JPEG or WebP file was not cut short. ImageSharp's JPEG and WebP decoders return a
/// partially grey image for a truncated file instead of failing, so the file's own framing is checked first.
/// </summary>
internal static class FileCompleteness
{
    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    public static bool IsComplete(ReadOnlySpan<byte> file, string format) => format switch
    {
        "PNG" => PngIsComplete(file),
        "JPEG" => JpegIsComplete(file),
        "WEBP" => WebpIsComplete(file),
        _ => true,
    };

    // A PNG ends with an empty IEND chunk (constant bytes, CRC included); a truncated one stops inside its IDAT
    // chunks. Some tools append bytes after IEND, so the chunk may sit anywhere.
    private static bool PngIsComplete(ReadOnlySpan<byte> file) => file.LastIndexOf(PngEnd) >= 0;

    // Entropy-coded data stuffs every 0xFF with 0x00, so FF DA (start of scan) and FF D9 (end of image) only
    // occur as markers: a complete file has an end-of-image after its last scan. Trailing bytes after it are allowed.
    private static bool JpegIsComplete(ReadOnlySpan<byte> file)
    {
        var lastScan = file.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        var lastEnd = file.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]);
        return lastScan >= 0 && lastEnd > lastScan;
    }

    // RIFF declares the size of everything after its first 8 bytes.
    private static bool WebpIsComplete(ReadOnlySpan<byte> file) =>
        file.Length >= 12 && file.Length - 8L >= BinaryPrimitives.ReadUInt32LittleEndian(file[4..8]);
}
