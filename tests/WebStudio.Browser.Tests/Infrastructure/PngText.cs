using System.Buffers.Binary;
using System.Text;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>Reads a PNG's chunk list and its tEXt entries straight from the bytes, independently of the app's own code.</summary>
public static class PngText
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static bool HasSignature(byte[] png) => png.AsSpan().StartsWith(Signature);

    /// <summary>tEXt keyword → text (Latin-1, as the PNG specification says).</summary>
    public static Dictionary<string, string> ReadTextChunks(byte[] png)
    {
        if (!HasSignature(png))
        {
            throw new InvalidDataException("not a PNG: the 8-byte signature is missing");
        }

        var texts = new Dictionary<string, string>();
        var offset = Signature.Length;
        while (offset + 12 <= png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "tEXt")
            {
                var zero = data.IndexOf((byte)0);
                texts[Encoding.Latin1.GetString(data[..zero])] = Encoding.Latin1.GetString(data[(zero + 1)..]);
            }

            if (type == "IEND")
            {
                return texts;
            }

            offset += 12 + length;
        }

        throw new InvalidDataException("the PNG ends without an IEND chunk");
    }
}
