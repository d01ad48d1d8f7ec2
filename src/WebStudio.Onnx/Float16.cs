using System.Runtime.InteropServices;

namespace WebStudio.Onnx;

/// <summary>
/// IEEE half-precision conversion. fp16 ONNX tensors store raw half bits, so writers need the bit patterns;
/// <see cref="Half"/> already rounds to nearest-even, which matches numpy/torch <c>.half()</c>.
/// </summary>
public static class Float16
{
    public static ushort FromFloat(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public static float ToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort[] FromFloats(ReadOnlySpan<float> values)
    {
        var bits = new ushort[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = FromFloat(values[i]);
        }

        return bits;
    }

    public static float[] ToFloats(ReadOnlySpan<ushort> bits)
    {
        var values = new float[bits.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            values[i] = ToFloat(bits[i]);
        }

        return values;
    }

    /// <summary>Little-endian half bytes, the layout of an fp16 tensor's raw_data.</summary>
    public static byte[] ToRawBytes(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(FromFloats(values).AsSpan()).ToArray();
}
