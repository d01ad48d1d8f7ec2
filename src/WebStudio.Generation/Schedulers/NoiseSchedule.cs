namespace WebStudio.Generation.Schedulers;

/// <summary>
/// The training noise schedule (betas and cumulative alphas) in float32, built as diffusers builds it in torch,
/// so every scheduler starts from the same numbers diffusers does.
/// </summary>
internal static class NoiseSchedule
{
    /// <summary>ᾱ_t = ∏(1 − β_i) for every training timestep.</summary>
    public static float[] AlphasCumprod(SchedulerConfig config)
    {
        var betas = Betas(config);
        if (config.RescaleBetasZeroSnr)
        {
            betas = RescaleZeroTerminalSnr(betas);
        }

        var cumprod = new float[betas.Length];
        var product = 1f;
        for (var i = 0; i < betas.Length; i++)
        {
            product *= 1f - betas[i];
            cumprod[i] = product;
        }

        return cumprod;
    }

    private static float[] Betas(SchedulerConfig config)
    {
        var n = config.NumTrainTimesteps;
        if (config.TrainedBetas is { } trained)
        {
            return [.. trained];
        }

        return config.BetaSchedule switch
        {
            "linear" => Linspace(config.BetaStart, config.BetaEnd, n),
            "scaled_linear" => Linspace(Math.Sqrt(config.BetaStart), Math.Sqrt(config.BetaEnd), n).Select(b => b * b).ToArray(),
            "squaredcos_cap_v2" => CosineBetas(n),
            _ => throw new ArgumentException($"beta_schedule '{config.BetaSchedule}' is not one of linear, scaled_linear, squaredcos_cap_v2."),
        };
    }

    private static float[] Linspace(double start, double end, int count)
    {
        var values = new float[count];
        var step = (end - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(start + step * i);
        }

        values[^1] = (float)end;
        return values;
    }

    /// <summary>Glide's cosine schedule (betas_for_alpha_bar), capped at 0.999 as diffusers does.</summary>
    private static float[] CosineBetas(int count)
    {
        static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
        var betas = new float[count];
        for (var i = 0; i < count; i++)
        {
            var t1 = (double)i / count;
            var t2 = (double)(i + 1) / count;
            betas[i] = (float)Math.Min(1 - AlphaBar(t2) / AlphaBar(t1), 0.999);
        }

        return betas;
    }

    /// <summary>Lin et al. 2023: shifts the schedule so the last timestep has zero SNR.</summary>
    private static float[] RescaleZeroTerminalSnr(float[] betas)
    {
        var sqrtBar = new double[betas.Length];
        var product = 1.0;
        for (var i = 0; i < betas.Length; i++)
        {
            product *= 1 - betas[i];
            sqrtBar[i] = Math.Sqrt(product);
        }

        var first = sqrtBar[0];
        var last = sqrtBar[^1];
        var bar = sqrtBar.Select(s => Math.Pow((s - last) * first / (first - last), 2)).ToArray();
        var rescaled = new float[betas.Length];
        rescaled[0] = (float)(1 - bar[0]);
        for (var i = 1; i < bar.Length; i++)
        {
            rescaled[i] = (float)(1 - bar[i] / bar[i - 1]);
        }

        return rescaled;
    }
}
