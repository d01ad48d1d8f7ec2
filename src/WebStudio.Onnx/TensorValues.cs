using System.Runtime.InteropServices;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Onnx;

/// <summary>Reads the values of a float or float16 tensor stored in the model file, in each encoding ONNX allows.</summary>
public static class TensorValues
{
    public static float[] Floats(TensorProto tensor, string source)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"{source}: initializer '{tensor.Name}' keeps its weights in an external data file, which is not read here.");
        }

        return (DataType)tensor.DataType switch
        {
            DataType.Float when !tensor.RawData.IsEmpty => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray(),
            DataType.Float => tensor.FloatData.ToArray(),
            // float16 values arrive as raw bytes, or widened into int32_data.
            DataType.Float16 when !tensor.RawData.IsEmpty => Float16.ToFloats(MemoryMarshal.Cast<byte, ushort>(tensor.RawData.Span)),
            DataType.Float16 => tensor.Int32Data.Select(bits => Float16.ToFloat((ushort)bits)).ToArray(),
            _ => throw new ArgumentException($"{source}: initializer '{tensor.Name}' is not a float or float16 tensor.", nameof(tensor)),
        };
    }
}
