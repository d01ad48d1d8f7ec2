namespace WebStudio.Generation.Randomness;

/// <summary>
/// SplitMix64: a tiny integer generator whose output is identical on every machine and runtime, unlike
/// System.Random, so a seed always names the same numbers. The one copy in the solution: it seeds the image
/// pipelines' <see cref="Tensors.GaussianNoise"/>, draws ShapesWorld's scenes and fills SdSynth's weights.
/// Not thread-safe.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(ulong seed) => _state = seed;

    /// <summary>The generator for sample <paramref name="index"/> of the stream <paramref name="seed"/>.</summary>
    public static DeterministicRandom ForSample(long seed, long index)
    {
        var mixed = Mix(Mix((ulong)seed) ^ ((ulong)index * 0xD1B54A32D192ED03UL));
        return new DeterministicRandom(mixed);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>Uniform integer in [min, maxInclusive].</summary>
    public int NextInt(int min, int maxInclusive) => min + NextInt(maxInclusive - min + 1);

    /// <summary>Uniform double in [0, 1) built from 53 bits, so it is exact and portable.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [-1, 1) from the top 24 bits: every step is exact in a float.</summary>
    public float NextSignedSingle() => (NextUInt64() >> 40) * (2f / (1 << 24)) - 1f;

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
