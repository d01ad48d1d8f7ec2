namespace WebStudio.Generation.Schedulers;

/// <summary>numpy-faithful helpers shared by the schedulers: spacing, interpolation and Karras sigmas.</summary>
internal static class TimestepMath
{
    /// <summary>numpy.linspace (endpoint included): start + i·step, last value exactly <paramref name="stop"/>.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        if (count == 1)
        {
            values[0] = start;
            return values;
        }

        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            values[i] = i * step + start;
        }

        values[^1] = stop;
        return values;
    }

    /// <summary>
    /// The descending schedule of Euler/DDIM/PNDM-style set_timesteps for the three diffusers spacings.
    /// Euler keeps linspace values fractional; the integer schedulers round them (numpy rounds half to even, as Math.Round does).
    /// </summary>
    public static double[] Spaced(SchedulerConfig config, int steps, bool roundLinspace)
    {
        var train = config.NumTrainTimesteps;
        switch (config.TimestepSpacing)
        {
            case "linspace":
                var linear = Linspace(0, train - 1, steps).Reverse();
                return (roundLinspace ? linear.Select(v => Math.Round(v)) : linear).ToArray();
            case "leading":
                var ratio = train / steps;
                return Enumerable.Range(0, steps).Reverse().Select(i => (double)(i * ratio + config.StepsOffset)).ToArray();
            case "trailing":
                var stride = (double)train / steps;
                var count = (int)Math.Ceiling(train / stride);
                return Enumerable.Range(0, count).Select(i => Math.Round(train - i * stride) - 1).ToArray();
            default:
                throw new ArgumentException($"timestep_spacing '{config.TimestepSpacing}' is not one of leading, linspace, trailing.");
        }
    }

    /// <summary>numpy.interp over the grid 0, 1, …, n−1.</summary>
    public static double Interp(double x, IReadOnlyList<float> values)
    {
        if (x <= 0)
        {
            return values[0];
        }

        if (x >= values.Count - 1)
        {
            return values[^1];
        }

        var low = (int)Math.Floor(x);
        var slope = (double)values[low + 1] - values[low];
        return slope * (x - low) + values[low];
    }

    /// <summary>σ_t = √((1 − ᾱ_t)/ᾱ_t) for every training timestep (float32, as torch computes it).</summary>
    public static float[] TrainingSigmas(float[] alphasCumprod) =>
        alphasCumprod.Select(a => MathF.Sqrt((1f - a) / a)).ToArray();

    /// <summary>Karras et al. (2022) eq. 5 with ρ = 7, from the largest to the smallest sigma given.</summary>
    public static double[] Karras(double sigmaMax, double sigmaMin, int steps)
    {
        const double rho = 7.0;
        var minInv = Math.Pow(sigmaMin, 1 / rho);
        var maxInv = Math.Pow(sigmaMax, 1 / rho);
        return Linspace(0, 1, steps).Select(r => Math.Pow(maxInv + r * (minInv - maxInv), rho)).ToArray();
    }

    /// <summary>diffusers' _convert_to_exponential: sigmas evenly spaced in log-sigma from <paramref name="sigmaMax"/> down
    /// to <paramref name="sigmaMin"/>.</summary>
    public static double[] Exponential(double sigmaMax, double sigmaMin, int steps) =>
        [.. Linspace(Math.Log(sigmaMax), Math.Log(sigmaMin), steps).Select(Math.Exp)];

    /// <summary>diffusers' _sigma_to_t: the fractional training timestep whose log-sigma matches, by linear interpolation.</summary>
    public static double SigmaToT(double sigma, float[] logSigmas)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        var low = 0;
        for (var i = 0; i < logSigmas.Length; i++)
        {
            if (logSigma - logSigmas[i] >= 0)
            {
                low = i;
            }
        }

        low = Math.Min(low, logSigmas.Length - 2);
        double lowLog = logSigmas[low];
        double highLog = logSigmas[low + 1];
        var w = Math.Clamp((lowLog - logSigma) / (lowLog - highLog), 0, 1);
        return (1 - w) * low + w * (low + 1);
    }
}
