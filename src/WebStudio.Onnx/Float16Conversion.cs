using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Onnx;

/// <summary>
/// Turns an fp32 ONNX model into the fp16 model an fp16 export would be: float weights, constants, graph inputs
/// and outputs become float16, and Casts to float now cast to float16. Inputs that ONNX pins to float32 whatever
/// the data type (Resize's roi and scales) stay float32. No operator needs keeping in float32 by hand: where the
/// CPU provider lacks a float16 kernel, ONNX Runtime's InsertCastTransformer runs that node in float32 itself.
/// </summary>
public static class Float16Conversion
{
    /// <summary>Converts every <c>*/model.onnx</c> of an SD folder into <paramref name="destination"/>, copying
    /// the other files (configs, tokenizer) unchanged.</summary>
    public static void ConvertFolder(string source, string destination)
    {
        if (!File.Exists(Path.Combine(source, "model_index.json")))
        {
            throw new DirectoryNotFoundException($"{source} is not a model folder: it has no model_index.json.");
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Path.GetFileName(file) == "model.onnx")
            {
                var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
                ModelWriter.Save(Convert(model, relative), target);
            }
            else
            {
                File.Copy(file, target, overwrite: true);
            }
        }
    }

    /// <summary>A converted copy of <paramref name="model"/>; <paramref name="displayName"/> names it in errors.</summary>
    public static ModelProto Convert(ModelProto model, string displayName = "model")
    {
        var result = model.Clone();
        var graph = result.Graph;
        var keepFloat = graph.Node.Where(n => n.OpType == "Resize").SelectMany(n => n.Input.Skip(1).Take(2)).ToHashSet(StringComparer.Ordinal);

        foreach (var tensor in graph.Initializer.Where(t => !keepFloat.Contains(t.Name)))
        {
            ToFloat16(tensor, displayName);
        }

        foreach (var value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
        {
            if (value.Type?.TensorType is { ElemType: (int)DataType.Float } tensorType)
            {
                tensorType.ElemType = (int)DataType.Float16;
            }
        }

        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == (long)DataType.Float)
                {
                    attribute.I = (long)DataType.Float16;
                }
                else if (attribute.T is { } tensor && !keepFloat.Overlaps(node.Output))
                {
                    ToFloat16(tensor, displayName);
                }
            }
        }

        return result;
    }

    private static void ToFloat16(TensorProto tensor, string displayName)
    {
        if (tensor.DataType != (int)DataType.Float)
        {
            return;
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException(
                $"{displayName}: initializer '{tensor.Name}' keeps its weights in an external data file; convert such models with their exporter.");
        }

        var values = TensorValues.Floats(tensor, displayName);
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(Float16.ToRawBytes(values));
        tensor.DataType = (int)DataType.Float16;
    }
}
