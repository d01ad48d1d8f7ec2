namespace WebStudio.Onnx;

/// <summary>
/// Layers that create their own weights: seeded uniform values in ±1/sqrt(fan-in) (PyTorch's default init),
/// so outputs stay in a sane range and the same seed writes the same bytes.
/// </summary>
public sealed partial class GraphBuilder
{
    /// <summary>x[..., in] → x[..., out] via MatMul with an [in, out] weight and a bias.</summary>
    public string Linear(string x, int inFeatures, int outFeatures, bool bias = true, string name = "linear")
    {
        var prefix = UniqueName(name);
        var weight = Initializer($"{prefix}.weight", RandomWeights(inFeatures * outFeatures, inFeatures), [inFeatures, outFeatures]);
        var y = MatMul(x, weight);
        return bias ? Add(y, Initializer($"{prefix}.bias", RandomWeights(outFeatures, inFeatures), [outFeatures])) : y;
    }

    /// <summary>NCHW convolution with an [out, in, k, k] weight (and a bias unless <paramref name="bias"/> is false);
    /// padding defaults to "same" for odd kernels.</summary>
    public string Conv2d(string x, int inChannels, int outChannels, int kernel = 3, int stride = 1, int? padding = null, string name = "conv", bool bias = true)
    {
        var prefix = UniqueName(name);
        var fanIn = inChannels * kernel * kernel;
        var weight = Initializer($"{prefix}.weight", RandomWeights(outChannels * fanIn, fanIn), [outChannels, inChannels, kernel, kernel]);
        var biasName = bias ? Initializer($"{prefix}.bias", RandomWeights(outChannels, fanIn), [outChannels]) : null;
        return Conv(x, weight, biasName, stride, padding ?? kernel / 2);
    }

    /// <summary>GroupNormalization with unit scale and zero bias per channel.</summary>
    public string GroupNorm(string x, int channels, int groups, float epsilon = 1e-5f, string name = "norm")
    {
        var prefix = UniqueName(name);
        var scale = Initializer($"{prefix}.weight", Filled(channels, 1f), [channels]);
        var bias = Initializer($"{prefix}.bias", Filled(channels, 0f), [channels]);
        return GroupNorm(x, scale, bias, groups, epsilon);
    }

    /// <summary>LayerNormalization over the last axis with unit scale and zero bias.</summary>
    public string LayerNorm(string x, int width, float epsilon = 1e-5f, string name = "layer_norm")
    {
        var prefix = UniqueName(name);
        var scale = Initializer($"{prefix}.weight", Filled(width, 1f), [width]);
        var bias = Initializer($"{prefix}.bias", Filled(width, 0f), [width]);
        return LayerNorm(x, scale, bias, -1, epsilon);
    }

    /// <summary>Seeded values uniform in ±1/sqrt(<paramref name="fanIn"/>).</summary>
    public float[] RandomWeights(int count, int fanIn)
    {
        var bound = 1f / MathF.Sqrt(fanIn);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(_random.NextDouble() * 2 - 1) * bound;
        }

        return values;
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }
}
