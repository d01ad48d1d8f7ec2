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
