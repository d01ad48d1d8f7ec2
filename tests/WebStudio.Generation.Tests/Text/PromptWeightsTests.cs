using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

public sealed class PromptWeightsTests
{
    private static float[] Hidden(int tokens, int width)
    {
        var random = new Random(7);
        return Enumerable.Range(0, tokens * width).Select(_ => (float)(random.NextDouble() + 0.25)).ToArray();
    }

    [Fact]
    public void Scales_tokens_by_weight_and_restores_the_mean()
    {
        const int tokens = 5, width = 8;
        var original = Hidden(tokens, width);
        var hidden = (float[])original.Clone();
        float[] weights = [1f, 1.5f, 0.5f, 1f, 2f];

        PromptWeights.Apply(hidden, tokens, width, weights);

        Assert.Equal(original.Average(), hidden.Average(), 5);

        // Every value is original × weight × one common factor.
        var factor = hidden[0] / original[0];
        Assert.NotEqual(1f, factor, 3);
        for (var t = 0; t < tokens; t++)
        {
            for (var c = 0; c < width; c++)
            {
                var i = t * width + c;
                Assert.Equal(original[i] * weights[t] * factor, hidden[i], 4);
            }
        }
    }

    [Fact]
    public void Unit_weights_leave_states_unchanged()
    {
        var original = Hidden(3, 4);
        var hidden = (float[])original.Clone();
        PromptWeights.Apply(hidden, 3, 4, [1f, 1f, 1f]);
        Assert.Equal(original, hidden);
    }

    [Fact]
    public void Zero_weighted_mean_is_not_rescaled()
    {
        float[] hidden = [1f, -1f, 2f, 2f];
        PromptWeights.Apply(hidden, 2, 2, [1f, 0f]);
        Assert.Equal([1f, -1f, 0f, 0f], hidden);
    }

    [Fact]
    public void Shape_mismatches_name_the_argument()
    {
        Assert.Equal("hiddenStates", Assert.Throws<ArgumentException>(() => PromptWeights.Apply(new float[7], 2, 4, [1f, 1f])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => PromptWeights.Apply(new float[8], 2, 4, [1f])).ParamName);
    }
}
