using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>Upload files of the bad-input table: small real PNGs, PNGs with hostile text chunks, and impostors.</summary>
public static class Pngs
{
    public const string Svg = """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script><rect width="64" height="64"/></svg>""";

    public const string Html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";

    /// <summary>A grey PNG of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] Small(int width = 64, int height = 64)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(128, 128, 128));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>A small PNG whose "parameters" chunk (tEXt, or zTXt with <paramref name="payload"/> already deflated) holds <paramref name="payload"/>.</summary>
    public static byte[] WithText(string chunk, byte[] payload)
    {
        byte[] header = chunk == "zTXt" ? [.. "parameters"u8, 0, 0] : [.. "parameters"u8, 0];
        return PngFiles.WithChunk(Small(8, 8), chunk, [.. header, .. payload]);
    }

    /// <summary><paramref name="size"/> bytes of 'A' deflated with zlib: a few hundred kB that inflate to all of it.</summary>
    public static byte[] Deflated(int size)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = Encoding.ASCII.GetBytes(new string('A', 1 << 20));
            for (var written = 0; written < size; written += block.Length)
            {
                zlib.Write(block, 0, Math.Min(block.Length, size - written));
            }
        }

        return output.ToArray();
    }
}
