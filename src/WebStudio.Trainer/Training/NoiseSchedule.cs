using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>SD's scaled_linear schedule: betas = linspace(√0.00085, √0.012, 1000)².</summary>
internal static class NoiseSchedule
{
    public const int TrainSteps = 1000;
    public const double BetaStart = 0.00085;
    public const double BetaEnd = 0.012;

    public static double[] AlphasCumprod { get; } = Build();

    private static double[] Build()
    {
        var result = new double[TrainSteps];
        var product = 1.0;
        for (var t = 0; t < TrainSteps; t++)
        {
            var root = Math.Sqrt(BetaStart) + ((Math.Sqrt(BetaEnd) - Math.Sqrt(BetaStart)) * t / (TrainSteps - 1));
            product *= 1 - (root * root);
            result[t] = product;
        }

        return result;
    }

    public static Tensor AlphasCumprodTensor() => tensor(AlphasCumprod.Select(a => (float)a).ToArray());
}
