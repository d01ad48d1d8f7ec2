namespace WebStudio.Generation.Tensors;

/// <summary>
/// A seeded standard-normal generator whose sequence is fixed by this code alone (xoshiro256** plus
/// Box–Muller), so the same seed gives the same image on every platform, runtime and process.
/// System.Random makes no such promise across .NET versions. One instance per job; not thread-safe.
/// </summary>
public sealed class GaussianNoise
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spare;

    public GaussianNoise(long seed)
    {
        // SplitMix64 expands the seed into the four words of state, as xoshiro's authors recommend.
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A uniform double in (0, 1).</summary>
    public double NextUniform()
    {
        // 53 random bits, offset by half a step so the result is never exactly 0 (Box–Muller takes a log).
        return ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    public float NextGaussian()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return (float)spare;
        }

        var u1 = NextUniform();
        var u2 = NextUniform();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        return (float)(radius * Math.Cos(angle));
    }

    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }

    public float[] Next(int count)
    {
        var values = new float[count];
        Fill(values);
        return values;
    }

    private ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
