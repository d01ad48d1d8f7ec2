namespace WebStudio.SdSynth;

/// <summary>
/// SplitMix64: a tiny, fast seeded generator. A billion weights need speed, not statistical quality, and the same
/// seed must give the same bytes on every machine (System.Random's algorithm is not guaranteed across versions).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public float NextSigned() => (Next() >> 40) * (2f / (1 << 24)) - 1f;
}
