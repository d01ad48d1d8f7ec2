using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Generation.Models;

/// <summary>
/// Rewrites a float16 graph as float32 in memory: every float16 weight, constant, input, output and Cast target
/// becomes float32, so that ORT computes it in float32. diffusers' force_upcast runs SDXL's VAE in float32 for the
/// same reason: its activations overflow float16. External weights are read in, so the result is one self-contained
/// graph (a VAE is small enough for that).
/// </summary>
internal static class Float32Upcast
{
    /// <summary>Whether the graph's first input is float16.</summary>
    public static bool TakesFloat16(ModelProto model) =>
        model.Graph.Input.FirstOrDefault()?.Type?.TensorType?.ElemType == (int)DataType.Float16;

    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    /// <summary>The float32 graph of <paramref name="model"/>, loaded from <paramref name="path"/>, as ONNX bytes.</summary>
    public static byte[] ToFloat32(ModelProto model, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Upcast(model.Graph, folder);
        return model.ToByteArray();
    }

    private static void Upcast(GraphProto graph, string folder)
    {
        foreach (var tensor in graph.Initializer)
        {
            Upcast(tensor, folder);
        }

        foreach (var value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
        {
            if (value.Type?.TensorType is { ElemType: (int)DataType.Float16 } tensorType)
            {
                tensorType.ElemType = (int)DataType.Float;
            }
        }

        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == (long)DataType.Float16)
                {
                    attribute.I = (long)DataType.Float;
                }

                if (attribute.T is { } t)
                {
                    Upcast(t, folder);
                }

                foreach (var sub in attribute.Graphs.Append(attribute.G).Where(g => g is not null))
                {
                    Upcast(sub, folder);
                }
            }
        }
    }

    private static void Upcast(TensorProto tensor, string folder)
    {
        if (tensor.DataType != (int)DataType.Float16)
        {
            return;
        }

        var raw = RawBytes(tensor, folder);
        var floats = new byte[raw.Length * 2];
        for (var i = 0; i < raw.Length / 2; i++)
        {
            var half = BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(raw, 2 * i));
            BitConverter.TryWriteBytes(floats.AsSpan(4 * i), (float)half);
        }

        tensor.DataType = (int)DataType.Float;
        tensor.Int32Data.Clear();
        tensor.ExternalData.Clear();
        tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        tensor.RawData = ByteString.CopyFrom(floats);
    }

    /// <summary>A float16 tensor's little-endian bytes: raw_data, int32_data (one half per entry) or its external file.</summary>
    private static byte[] RawBytes(TensorProto tensor, string folder)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
            using var file = File.OpenRead(Path.Combine(folder, entries["location"]));
            var length = entries.TryGetValue("length", out var l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : file.Length - offset;
            var bytes = new byte[length];
            file.Position = offset;
            file.ReadExactly(bytes);
            return bytes;
        }

        if (!tensor.RawData.IsEmpty)
        {
            return tensor.RawData.ToByteArray();
        }

        var halves = new byte[tensor.Int32Data.Count * 2];
        for (var i = 0; i < tensor.Int32Data.Count; i++)
        {
            BitConverter.TryWriteBytes(halves.AsSpan(2 * i), (ushort)tensor.Int32Data[i]);
        }

        return halves;
    }
}
