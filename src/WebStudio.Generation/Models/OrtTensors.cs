using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// Builds input OrtValues in whatever element type a graph declares, and reads float outputs back, converting
/// float16 both ways. The pipeline itself always works in float32.
/// </summary>
internal static class OrtTensors
{
    public static OrtValue FromFloats(float[] data, long[] shape, TensorKind kind)
    {
        switch (kind.ElementType)
        {
            case TensorElementType.Float:
                return OrtValue.CreateTensorValueFromMemory(data, shape);
            case TensorElementType.Float16:
                var halves = new Float16[data.Length];
                ToHalves(data, halves);
                return OrtValue.CreateTensorValueFromMemory(halves, shape);
            case TensorElementType.Double:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (double)v), shape);
            case TensorElementType.Int64:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (long)MathF.Round(v)), shape);
            case TensorElementType.Int32:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)MathF.Round(v)), shape);
            default:
                throw new NotSupportedException($"Input '{kind.Name}' has element type {kind.ElementType}, which WebStudio cannot feed.");
        }
    }

    public static OrtValue FromIds(int[] ids, long[] shape, TensorKind kind) => kind.ElementType switch
    {
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(ids, shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, v => (long)v), shape),
        _ => throw new NotSupportedException($"Input '{kind.Name}' has element type {kind.ElementType}; token ids must be int32 or int64."),
    };

    /// <summary>Copies a float or float16 output into a new float array.</summary>
    public static float[] ToFloats(OrtValue value, string outputName)
    {
        var info = value.GetTensorTypeAndShape();
        switch (info.ElementDataType)
        {
            case TensorElementType.Float:
                return value.GetTensorDataAsSpan<float>().ToArray();
            case TensorElementType.Float16:
                var halves = value.GetTensorDataAsSpan<Float16>();
                var floats = new float[halves.Length];
                ToFloats(halves, floats);
                return floats;
            case TensorElementType.Double:
                var doubles = value.GetTensorDataAsSpan<double>();
                var result = new float[doubles.Length];
                for (var i = 0; i < doubles.Length; i++)
                {
                    result[i] = (float)doubles[i];
                }

                return result;
            default:
                throw new NotSupportedException($"Output '{outputName}' has element type {info.ElementDataType}; expected a float tensor.");
        }
    }

    /// <summary>A float output's values in place (valid while <paramref name="value"/> lives), else a float copy.</summary>
    public static ReadOnlySpan<float> ReadFloats(OrtValue value, string outputName) =>
        value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float
            ? value.GetTensorDataAsSpan<float>()
            : ToFloats(value, outputName);

    /// <summary>Rounds <paramref name="data"/> to float16 into <paramref name="halves"/> (as long).</summary>
    public static void ToHalves(ReadOnlySpan<float> data, Span<Float16> halves)
    {
        for (var i = 0; i < data.Length; i++)
        {
            halves[i] = ToHalf(data[i]);
        }
    }

    public static Float16 ToHalf(float value) => new(BitConverter.HalfToUInt16Bits((Half)value));

    /// <summary>Widens <paramref name="halves"/> into <paramref name="floats"/> (as long).</summary>
    public static void ToFloats(ReadOnlySpan<Float16> halves, Span<float> floats)
    {
        for (var i = 0; i < halves.Length; i++)
        {
            floats[i] = (float)BitConverter.UInt16BitsToHalf(halves[i].value);
        }
    }

    public static long[] ShapeOf(OrtValue value) => value.GetTensorTypeAndShape().Shape;
}
