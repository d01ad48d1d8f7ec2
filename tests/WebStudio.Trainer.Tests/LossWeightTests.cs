using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The epsilon loss weights: min-SNR-5, and the layout weight that lifts only the noisiest timesteps.</summary>
public sealed class LossWeightTests
{
    private static readonly float[] Snr = [20f, 5f, 1f, 0.2f, 0.1f, 0.04f, 0.005f];

    [Fact]
    public void Min_snr_caps_the_clean_timesteps_and_leaves_the_noisy_ones_at_one() =>
        AssertWeights([0.25f, 1, 1, 1, 1, 1, 1], UNetTrainer.LossWeight(tensor(Snr), layoutWeight: 1));

    [Fact]
    public void The_layout_weight_lifts_timesteps_below_snr_0_2_up_to_its_cap() =>
        AssertWeights([0.25f, 1, 1, 1, 2, 5, 5], UNetTrainer.LossWeight(tensor(Snr), layoutWeight: 5));

    private static void AssertWeights(float[] expected, Tensor actual) =>
        Assert.All(expected.Zip(actual.data<float>().ToArray()), p => Assert.Equal(p.First, p.Second, 5));
}
