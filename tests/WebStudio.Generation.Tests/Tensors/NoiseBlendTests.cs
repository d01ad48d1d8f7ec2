using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Tensors;

[Trait("Capability", "StudioCore")]
public class NoiseBlendTests
{
    private const int Length = 4 * 32 * 32;

    private static float[] Noise(long seed)
    {
        var data = new float[Length];
        new GaussianNoise(seed).Fill(data);
        return data;
    }

    private static double Norm(float[] data) => Math.Sqrt(data.Sum(x => (double)x * x));

    [Fact]
    public void The_ends_are_the_two_samples()
    {
        var from = Noise(1);
        var to = Noise(2);

        var start = (float[])from.Clone();
        NoiseBlend.Slerp(start, to, 0f);
        var end = (float[])from.Clone();
        NoiseBlend.Slerp(end, to, 1f);

        Assert.Equal(from, start);
        Assert.Equal(to, end);
    }

    [Theory]
    [InlineData(0.25f)]
    [InlineData(0.5f)]
    public void Between_them_the_noise_keeps_its_size_where_a_straight_blend_shrinks_it(float t)
    {
        var from = Noise(1);
        var to = Noise(2);
        var blended = (float[])from.Clone();

        NoiseBlend.Slerp(blended, to, t);

        var straight = from.Zip(to, (a, b) => (1 - t) * a + t * b).ToArray();
        var expected = (Norm(from) + Norm(to)) / 2;
        Assert.InRange(Norm(blended) / expected, 0.98, 1.02);
        Assert.True(Norm(straight) / expected < 0.93, $"a straight blend keeps {Norm(straight) / expected:0.00} of the size");
    }

    [Fact]
    public void Samples_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => NoiseBlend.Slerp(new float[4], new float[5], 0.5f));
    }
}
