using HalfBits = WebStudio.Onnx.Float16;

namespace WebStudio.Generation.Tests.Onnx;

public sealed class Float16Tests
{
    [Theory]
    [InlineData(1f, 0x3C00)]
    [InlineData(-2f, 0xC000)]
    [InlineData(65504f, 0x7BFF)]
    [InlineData(0f, 0x0000)]
    [InlineData(70000f, 0x7C00)] // overflows to +infinity
    [InlineData(5.9604645e-8f, 0x0001)] // smallest subnormal
    public void FromFloat_gives_ieee_half_bits(float value, int bits) =>
        Assert.Equal((ushort)bits, HalfBits.FromFloat(value));

    [Fact]
    public void FromFloat_rounds_ties_to_even()
    {
        // 1 + 2^-11 lies exactly between 1 (even mantissa) and 1 + 2^-10: ties go to the even one.
        Assert.Equal((ushort)0x3C00, HalfBits.FromFloat(1f + MathF.Pow(2, -11)));
        // 1 + 3*2^-11 lies between 1 + 2^-10 (odd) and 1 + 2^-9 (even): rounds up to even.
        Assert.Equal((ushort)0x3C02, HalfBits.FromFloat(1f + 3 * MathF.Pow(2, -11)));
    }

    [Fact]
    public void Round_trip_keeps_values_within_half_precision()
    {
        var values = OrtTestRunner.Seeded(1000, seed: 3, scale: 100f);
        var back = HalfBits.ToFloats(HalfBits.FromFloats(values));
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(MathF.Abs(values[i] - back[i]) <= MathF.Abs(values[i]) * 0.0005f, $"index {i}: {values[i]} vs {back[i]}");
        }
    }

    [Fact]
    public void ToRawBytes_is_little_endian_halves()
    {
        Assert.Equal(new byte[] { 0x00, 0x3C, 0x00, 0xC0 }, HalfBits.ToRawBytes([1f, -2f]));
    }
}
