using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>Hostile PNGs: a real 1×1 image with a text chunk written byte by byte, as an attacker would.</summary>
public static class PngTextChunks
{
    private static readonly Lazy<byte[]> Pixel = new(() =>
    {
        using var image = new Image<Rgb24>(1, 1);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    });

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    /// <summary>A 1×1 PNG with a tEXt chunk "keyword NUL text" (Latin-1) right after its header chunk.</summary>
    public static byte[] WithText(string text, string keyword = "parameters") =>
        WithChunk("tEXt", [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(text)]);

    private static readonly Lazy<byte[]> Bomb = new(() => WithCompressedText(200L * 1024 * 1024));

    /// <summary>The probe's decompression bomb: a 1×1 PNG whose zTXt "parameters" (about 200 kB) inflates to 200 MB.</summary>
    public static byte[] CompressedTextOf200MB => Bomb.Value;

    /// <summary>A 1×1 PNG with a zTXt chunk whose zlib data inflates to <paramref name="inflatedBytes"/> letters A.</summary>
    public static byte[] WithCompressedText(long inflatedBytes, string keyword = "parameters") =>
        WithChunk("zTXt", [.. Encoding.Latin1.GetBytes(keyword), 0, 0, .. Deflate(inflatedBytes)]);

    /// <summary>zlib data that inflates to <paramref name="inflatedBytes"/> letters A (about a thousandth of that).</summary>
    public static byte[] Deflate(long inflatedBytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = Enumerable.Repeat((byte)'A', 1024 * 1024).ToArray();
            for (var left = inflatedBytes; left > 0; left -= block.Length)
            {
                zlib.Write(block, 0, (int)Math.Min(left, block.Length));
            }
        }

        return compressed.ToArray();
    }

    /// <summary>A 1×1 PNG with one more chunk, with its right CRC, after the IHDR chunk.</summary>
    public static byte[] WithChunk(string type, byte[] data)
    {
        var png = Pixel.Value;
        const int afterHeader = 8 + 4 + 4 + 13 + 4;
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return c ^ 0xFFFFFFFFu;
    }
}
