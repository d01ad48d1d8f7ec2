using System.Text;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// The element type of one input of an ONNX graph, read by walking the file's protobuf fields and seeking past the
/// rest (the weights above all), so that a 1.7 GB fp16 UNet with inline weights is read in a few kilobytes.
/// Field numbers from onnx.proto: ModelProto.graph = 7, GraphProto.input = 11, ValueInfoProto.name = 1 and .type = 2,
/// TypeProto.tensor_type = 1, TypeProto.Tensor.elem_type = 1.
/// </summary>
public static class OnnxInputType
{
    public const int Float = 1, Float16 = 10;

    /// <summary>The TensorProto.DataType of <paramref name="input"/>, or null where the file has no such input or
    /// cannot be read as an ONNX model.</summary>
    public static int? Read(string path, string input)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            foreach (var (graphStart, graphLength) in Fields(stream, 0, stream.Length, 7))
            {
                foreach (var (start, length) in Fields(stream, graphStart, graphStart + graphLength, 11))
                {
                    if (length > 1 << 20)
                    {
                        continue;
                    }

                    var info = new byte[length];
                    stream.Position = start;
                    stream.ReadExactly(info);
                    if (ValueInfo(info) is ({ } name, var type) && name == input)
                    {
                        return type;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentOutOfRangeException)
        {
            // Not an ONNX file (or not readable): the caller shows no precision.
        }

        return null;
    }

    // The length-delimited fields numbered `field` between start and end: their contents' offsets and lengths.
    private static IEnumerable<(long Start, long Length)> Fields(Stream stream, long start, long end, int field)
    {
        var found = new List<(long, long)>();
        stream.Position = start;
        while (stream.Position < end)
        {
            var tag = Varint(stream);
            if ((tag & 7) == 2 && (int)(tag >> 3) == field)
            {
                var length = (long)Varint(stream);
                found.Add((stream.Position, length));
                stream.Position += length;
            }
            else
            {
                SkipOne(stream, tag);
            }

            if (stream.Position > end)
            {
                throw new InvalidDataException("a field runs past its message");
            }
        }

        return found;
    }

    private static (string? Name, int? ElementType) ValueInfo(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        string? name = null;
        int? type = null;
        foreach (var (start, length) in Fields(stream, 0, bytes.Length, 1))
        {
            name = Encoding.UTF8.GetString(bytes, (int)start, (int)length);
        }

        foreach (var (typeStart, typeLength) in Fields(stream, 0, bytes.Length, 2))
        {
            foreach (var (tensorStart, tensorLength) in Fields(stream, typeStart, typeStart + typeLength, 1))
            {
                stream.Position = tensorStart;
                while (stream.Position < tensorStart + tensorLength)
                {
                    var tag = Varint(stream);
                    if (tag == (1 << 3 | 0))
                    {
                        type = (int)Varint(stream);
                        break;
                    }

                    SkipOne(stream, tag);
                }
            }
        }

        return (name, type);
    }

    private static void SkipOne(Stream stream, ulong tag)
    {
        switch (tag & 7)
        {
            case 0:
                Varint(stream);
                break;
            case 1:
                stream.Position += 8;
                break;
            case 2:
                var length = (long)Varint(stream); // read before Position is (a compound assignment reads it first)
                stream.Position += length;
                break;
            case 5:
                stream.Position += 4;
                break;
            default:
                throw new InvalidDataException($"wire type {tag & 7}");
        }
    }

    private static ulong Varint(Stream stream)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new EndOfStreamException();
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("a varint longer than 64 bits");
    }
}
