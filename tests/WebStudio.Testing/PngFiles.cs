using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace WebStudio.Tests.Shared;

/// <summary>PNG files written byte by byte, for tests of what an upload may claim.</summary>
public static class PngFiles
{
    /// <summary>
    /// A valid PNG file that declares a <paramref name="width"/>×<paramref name="height"/> RGB canvas, with one
    /// small IDAT of deflated zeros: a few hundred bytes that would need width × height × 3 bytes to decode
    /// (a decompression bomb).
    /// </summary>
    public static byte[] Bomb(int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(file, "IHDR", header);
        using (var zeros = new MemoryStream())
        {
            using (var zlib = new ZLibStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(new byte[256 * 1024]);
            }

            WriteChunk(file, "IDAT", zeros.ToArray());
        }

        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary><paramref name="png"/> with one more chunk of <paramref name="type"/> (a text chunk, say) before IEND.</summary>
    public static byte[] WithChunk(byte[] png, string type, byte[] data)
    {
        const int iendLength = 12; // length, "IEND", CRC
        using var file = new MemoryStream();
        file.Write(png, 0, png.Length - iendLength);
        WriteChunk(file, type, data);
        file.Write(png, png.Length - iendLength, iendLength);
        return file.ToArray();
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        file.Write(crc);
    }

    // The PNG chunk CRC (ISO 3309 / zlib polynomial).
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
