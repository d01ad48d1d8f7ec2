using WebStudio.Generation.Randomness;

namespace WebStudio.Generation.Tensors;

/// <summary>
/// A seeded standard-normal generator whose sequence is fixed by this code alone (xoshiro256** plus
/// Marsaglia's polar method), so the same seed gives the same image on every platform, runtime and process.
/// System.Random makes no such promise across .NET versions. One instance per job; not thread-safe.
/// </summary>
public sealed class GaussianNoise : INoiseSource
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spare;

    public GaussianNoise(long seed)
    {
        // SplitMix64 expands the seed into the four words of state, as xoshiro's authors recommend.
        var expander = new DeterministicRandom(unchecked((ulong)seed));
        _s0 = expander.NextUInt64();
        _s1 = expander.NextUInt64();
        _s2 = expander.NextUInt64();
        _s3 = expander.NextUInt64();
    }

    /// <summary>A uniform double in (0, 1).</summary>
    public double NextUniform()
    {
        // 53 random bits, offset by half a step: never exactly 0, and 2u - 1 is never exactly 0 either, so the
        // polar method's point is never the disc's centre (it takes a log of the radius).
        // The 53 bits go through long, whose conversion to double is one instruction; ulong's needs a sign fix-up.
        // Both are exact below 2^53, so the value is the same.
        return ((double)(long)(NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    public float NextGaussian()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return (float)spare;
        }

        NextPair(out var first, out var second);
        _spare = second;
        return (float)first;
    }

    /// <summary>Fills <paramref name="destination"/> with exactly the values that as many <see cref="NextGaussian"/>
    /// calls would give, a pair at a time.</summary>
    public void Fill(Span<float> destination)
    {
        var i = 0;
        if (_spare is { } spare && destination.Length > 0)
        {
            _spare = null;
            destination[i++] = (float)spare;
        }

        for (; i + 1 < destination.Length; i += 2)
        {
            NextPair(out var first, out var second);
            destination[i] = (float)first;
            destination[i + 1] = (float)second;
        }

        if (i < destination.Length)
        {
            NextPair(out var first, out var second);
            destination[i] = (float)first;
            _spare = second;
        }
    }

    // Marsaglia's polar method: a point drawn uniformly in the unit disc gives two normals with one log and one
    // square root, about twice as fast as Box–Muller's log, sin and cos (ancestral samplers draw a latent's worth
    // of noise every step).
    private void NextPair(out double first, out double second)
    {
        double x, y, radius2;
        do
        {
            x = (2.0 * NextUniform()) - 1.0;
            y = (2.0 * NextUniform()) - 1.0;
            radius2 = (x * x) + (y * y);
        }
        while (radius2 >= 1.0);

        var factor = Math.Sqrt(-2.0 * Math.Log(radius2) / radius2);
        first = x * factor;
        second = y * factor;
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
}
