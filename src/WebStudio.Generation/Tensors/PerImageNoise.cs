namespace WebStudio.Generation.Tensors;

/// <summary>
/// A batch's step noise, each image's part drawn from a generator of its own, seeded from that image's seed. One
/// stream for the whole batch would give an image different noise in a batch than alone (and different noise by its
/// place in the batch), so that re-running its seed, or its PNG's parameters, made another picture with the samplers
/// that add noise while they step; A1111 keeps one generator per image for the same reason.
/// </summary>
public sealed class PerImageNoise(IReadOnlyList<long> seeds) : INoiseSource
{
    private readonly GaussianNoise[] _generators = [.. seeds.Select(seed => new GaussianNoise(seed))];

    public float[] Next(int count)
    {
        if (_generators.Length == 0 || count % _generators.Length != 0)
        {
            throw new ArgumentException($"{count} values do not split into {_generators.Length} images", nameof(count));
        }

        var perImage = count / _generators.Length;
        var noise = new float[count];
        for (var b = 0; b < _generators.Length; b++)
        {
            _generators[b].Fill(noise.AsSpan(b * perImage, perImage));
        }

        return noise;
    }
}
