using WebStudio.Generation.Schedulers;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>The fixtures of diffusers' tests/schedulers/test_schedulers.py (SchedulerCommonTest).</summary>
internal static class SchedulerTestData
{
    private const int Batch = 4, Channels = 3, Height = 8, Width = 8;

    /// <summary>
    /// dummy_sample_deter: arange(768) reshaped (c, h, w, b), divided by 768, permuted to (b, c, h, w);
    /// so element [b, c, h, w] = (c·256 + h·32 + w·4 + b) / 768, stored NCHW.
    /// </summary>
    public static float[] DummySampleDeter() => Arranged(source => source);

    /// <summary>dummy_noise_deter: the same layout over arange(768) reversed.</summary>
    public static float[] DummyNoiseDeter() => Arranged(source => Count - 1 - source);

    private const int Count = Batch * Channels * Height * Width;

    /// <summary>An arange value per element, laid out (c, h, w, b) and read back NCHW, over 768.</summary>
    private static float[] Arranged(Func<int, int> value)
    {
        var sample = new float[Count];
        for (var b = 0; b < Batch; b++)
        for (var c = 0; c < Channels; c++)
        for (var h = 0; h < Height; h++)
        for (var w = 0; w < Width; w++)
        {
            var source = ((c * Height + h) * Width + w) * Batch + b;
            sample[((b * Channels + c) * Height + h) * Width + w] = value(source) / (float)Count;
        }

        return sample;
    }

    /// <summary>dummy_model: sample · t / (t + 1), in float32 as torch evaluates it.</summary>
    public static float[] DummyModel(float[] sample, float t) => sample.Select(s => s * t / (t + 1f)).ToArray();

    public static double SumAbs(float[] values) => values.Sum(v => (double)Math.Abs(v));

    public static double MeanAbs(float[] values) => SumAbs(values) / values.Length;

    /// <summary>A config with no SD1.5 extras: diffusers' class defaults for offset, spacing and alpha.</summary>
    public static SchedulerConfig Linear(int trainSteps, string spacing, bool setAlphaToOne = false) => new()
    {
        NumTrainTimesteps = trainSteps,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = "linear",
        StepsOffset = 0,
        TimestepSpacing = spacing,
        SetAlphaToOne = setAlphaToOne,
    };

    /// <summary>ᾱ_t of SD1.5's scaled-linear schedule, computed in double as an independent reference.</summary>
    public static double StableDiffusionAlphaCumprod(int timestep)
    {
        var product = 1.0;
        var start = Math.Sqrt(0.00085);
        var end = Math.Sqrt(0.012);
        for (var i = 0; i <= timestep; i++)
        {
            var root = start + (end - start) * i / 999.0;
            product *= 1 - root * root;
        }

        return product;
    }

    /// <summary>(√ᾱ_t, √(1 − ᾱ_t)) of SD1.5's schedule at an integer timestep: the VP pair a sample x = α·x0 + σ·ε is made with.</summary>
    public static (double Alpha, double Sigma) VariancePreserving(float timestep)
    {
        var alphaBar = StableDiffusionAlphaCumprod((int)timestep);
        return (Math.Sqrt(alphaBar), Math.Sqrt(1 - alphaBar));
    }
}
