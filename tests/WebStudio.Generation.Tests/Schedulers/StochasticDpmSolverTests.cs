using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;
using static WebStudio.Generation.Tests.Schedulers.SchedulerTestData;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>
/// DPM++ 2M SDE (diffusers' sde-dpmsolver++) against what the SDE is: driven by a model that knows the clean sample,
/// each step lands on the noised data's distribution at its timestep (x = α·x0 + σ·ε with ε of unit variance), and
/// keeps e^(−h) of the noise it had, renewing the rest; DPM++ 2M, the ODE, keeps all of it.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class StochasticDpmSolverTests
{
    private const int Count = 4 * 64 * 64;

    [Theory]
    [InlineData(SchedulerNames.DpmPlusPlus2MSde, true)]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeun, true)]
    [InlineData(SchedulerNames.DpmPlusPlus2M, false)]
    public void An_oracles_steps_keep_unit_noise_and_renew_all_but_e_to_the_minus_h_of_it(string name, bool stochastic)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        var generator = new GaussianNoise(3);
        var clean = generator.Next(Count).Select(v => 0.5f * v).ToArray();
        var timesteps = scheduler.Timesteps.ToArray();
        var (alpha, sigma) = VariancePreserving(timesteps[0]);
        var start = generator.Next(Count);
        var sample = clean.Select((c, i) => (float)(alpha * c + sigma * start[i])).ToArray();

        for (var step = 0; step < timesteps.Length; step++)
        {
            (alpha, sigma) = VariancePreserving(timesteps[step]);
            var epsilon = sample.Select((x, i) => (float)((x - alpha * clean[i]) / sigma)).ToArray();
            sample = scheduler.Step(epsilon, timesteps[step], sample, generator).PrevSample;
            if (step + 1 == timesteps.Length)
            {
                break;
            }

            var (nextAlpha, nextSigma) = VariancePreserving(timesteps[step + 1]);
            var next = sample.Select((x, i) => (x - nextAlpha * clean[i]) / nextSigma).ToArray();
            Assert.InRange(Deviation(next), 0.98, 1.02);
            var kept = stochastic ? Math.Exp(-(Math.Log(nextAlpha / nextSigma) - Math.Log(alpha / sigma))) : 1;
            Assert.InRange(Correlation(epsilon, next), kept - 0.02, kept + 0.02);
        }

        // The last step, to sigma 0, lands on the clean sample.
        Assert.All(sample.Zip(clean), pair => Assert.Equal(pair.Second, pair.First, 1e-3));
    }

    /// <summary>k-diffusion's sample_dpmpp_2m_sde (η = 1) in its own σ-scaled variables, worked in double from the same
    /// noise draws: its second-order correction is ½·(1 − e^(−2h))·D1 with the midpoint solver type, and
    /// ((1 − e^(−2h))/(−2h) + 1)·D1 with Heun's; the last step, to σ = 0, lands on the data prediction.</summary>
    [Theory]
    [InlineData(SchedulerNames.DpmPlusPlus2MSde, false)]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeun, true)]
    public void Each_solver_type_takes_k_diffusions_steps(string name, bool heun)
    {
        const int steps = 8;
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(steps);
        Assert.All(scheduler.Timesteps, t => Assert.Equal(MathF.Round(t), t));
        double[] sigmas = [.. scheduler.Timesteps.Select(t => VariancePreserving(t) switch { var (a, s) => s / a }), 0];
        var sample = DummySampleDeter();
        var x = sample.Select(v => v * Math.Sqrt(sigmas[0] * sigmas[0] + 1)).ToArray();
        var (noise, draws) = (new GaussianNoise(8), new GaussianNoise(8));
        double[]? oldDenoised = null;
        var hLast = 0.0;
        for (var k = 0; k < steps; k++)
        {
            // The model sees the variance-preserving sample; k-diffusion's x is that sample over α = 1/√(σ² + 1).
            var epsilon = sample.Select(v => 0.5f * v).ToArray();
            sample = scheduler.Step(epsilon, scheduler.Timesteps[k], sample, noise).PrevSample;

            var (from, to) = (sigmas[k], sigmas[k + 1]);
            var denoised = x.Select((v, i) => v - from * epsilon[i]).ToArray();
            var z = draws.Next(x.Length);
            if (to == 0)
            {
                x = denoised;
                break;
            }

            var h = Math.Log(from) - Math.Log(to);
            var renewed = -double.ExpM1(-2 * h);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = to / from * Math.Exp(-h) * x[i] + renewed * denoised[i] + to * Math.Sqrt(renewed) * z[i];
                if (oldDenoised is not null)
                {
                    var d1 = (denoised[i] - oldDenoised[i]) * h / hLast;
                    x[i] += (heun ? 1 - renewed / (2 * h) : 0.5 * renewed) * d1;
                }
            }

            (oldDenoised, hLast) = (denoised, h);
            var alpha = 1 / Math.Sqrt(to * to + 1);
            Assert.All(Enumerable.Range(0, x.Length), i => Assert.Equal(x[i] * alpha, sample[i], 1e-4 * (1 + Math.Abs(x[i] * alpha))));
        }

        Assert.All(Enumerable.Range(0, x.Length), i => Assert.Equal(x[i], sample[i], 1e-4 * (1 + Math.Abs(x[i]))));
    }

    [Fact]
    public void The_Heun_solver_type_is_refused_without_the_SDE() =>
        Assert.Contains("SDE", Assert.Throws<ArgumentException>(() => new DPMSolverMultistepScheduler(SchedulerConfig.StableDiffusionDefault, heunSolver: true)).Message);

    [Fact]
    public void The_same_generator_draws_the_same_steps_and_another_draws_others()
    {
        float[] Run(long seed)
        {
            var scheduler = SchedulerFactory.Create(SchedulerNames.DpmPlusPlus2MSdeKarras, SchedulerConfig.StableDiffusionDefault);
            scheduler.SetTimesteps(6);
            var generator = new GaussianNoise(seed);
            var latents = DummySampleDeter();
            foreach (var t in scheduler.Timesteps.ToArray())
            {
                latents = scheduler.Step(DummyModel(latents, t), t, latents, generator).PrevSample;
            }

            return latents;
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }


    private static double Deviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    private static double Correlation(float[] a, double[] b)
    {
        var (meanA, meanB) = (a.Average(v => (double)v), b.Average());
        var covariance = a.Zip(b).Sum(p => (p.First - meanA) * (p.Second - meanB));
        return covariance / Math.Sqrt(a.Sum(v => (v - meanA) * (v - meanA)) * b.Sum(v => (v - meanB) * (v - meanB)));
    }
}
