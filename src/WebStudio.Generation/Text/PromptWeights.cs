namespace WebStudio.Generation.Text;

/// <summary>A1111's embedding emphasis: scale each token's hidden state by its weight, then rescale the whole
/// tensor so its mean is what it was before ("restore mean"), keeping the overall magnitude the UNet expects.</summary>
public static class PromptWeights
{
    /// <summary>Applies <paramref name="weights"/> in place to <paramref name="hiddenStates"/> laid out
    /// [<paramref name="tokens"/>, <paramref name="width"/>]. A weighted tensor whose mean is 0 is left unrescaled
    /// (there is no factor that restores a non-zero mean from it).</summary>
    public static void Apply(float[] hiddenStates, int tokens, int width, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(hiddenStates);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (hiddenStates.Length != (long)tokens * width)
        {
            throw new ArgumentException($"hiddenStates has {hiddenStates.Length} values, not tokens × width = {tokens} × {width}.", nameof(hiddenStates));
        }

        if (weights.Length != tokens)
        {
            throw new ArgumentException($"weights has {weights.Length} values, not one per token ({tokens}).", nameof(weights));
        }

        if (weights.All(w => w == 1f))
        {
            return;
        }

        // Sums in double: 77 × 1024 floats lose precision in a float accumulator.
        var originalSum = Sum(hiddenStates);
        double weightedSum = 0;
        for (var t = 0; t < tokens; t++)
        {
            var row = hiddenStates.AsSpan(t * width, width);
            foreach (ref var value in row)
            {
                value *= weights[t];
                weightedSum += value;
            }
        }

        if (weightedSum == 0)
        {
            return;
        }

        var scale = (float)(originalSum / weightedSum);
        foreach (ref var value in hiddenStates.AsSpan())
        {
            value *= scale;
        }
    }

    private static double Sum(float[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
