using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;
using static WebStudio.Generation.Tests.Schedulers.SchedulerTestData;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>
/// UniPC against the exact answer. For data drawn from N(0, s²) the best denoiser is known in closed form,
/// E[x0 | x_t] = α·s²/(α²s² + σ²)·x_t, and the probability-flow ODE it drives only rescales: x_t/√(α²s² + σ²) stays
/// put, so the noise a schedule starts from has one exact image at every timestep. A solver's error there shows its
/// order. It is read half-way through the schedule: SD's evenly spaced timesteps end in steps of a fixed ratio of
/// noise (t = 2c to c), whatever the step count, so the last steps' error does not shrink with the order.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class UniPcConvergenceTests
{
    private const double Spread = 0.5;

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(40)]
    public void UniPC_lands_nearer_the_exact_ODE_solution_than_DPM_solver_at_the_same_model_calls(int steps)
    {
        var uniPc = HalfWayError(SchedulerNames.UniPc, steps);
        var dpm = HalfWayError(SchedulerNames.DpmPlusPlus2M, steps);

        Assert.True(uniPc < dpm / 3, $"UniPC {uniPc:E2}, DPM++ 2M {dpm:E2} at {steps} steps");
    }

    [Fact]
    public void UniPC_is_third_order_where_DPM_solver_is_second()
    {
        // Doubling the steps divides an order-p solver's error by 2^p: UniP-2 corrected by UniC-2 is third order.
        var uniPc = HalfWayError(SchedulerNames.UniPc, 20) / HalfWayError(SchedulerNames.UniPc, 40);
        var dpm = HalfWayError(SchedulerNames.DpmPlusPlus2M, 20) / HalfWayError(SchedulerNames.DpmPlusPlus2M, 40);

        Assert.InRange(uniPc, 6, 10);
        Assert.InRange(dpm, 3, 5);
    }

    /// <summary>The largest distance from the exact solution after half of <paramref name="steps"/> steps from pure noise.</summary>
    private static double HalfWayError(string sampler, int steps)
    {
        var scheduler = SchedulerFactory.Create(sampler, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(steps);
        var timesteps = scheduler.Timesteps.ToArray();
        // Pure noise, as the pipeline starts (these VP solvers' InitNoiseSigma is 1 and they scale no input).
        var start = new GaussianNoise(11).Next(256);
        var sample = start;
        foreach (var t in timesteps[..(steps / 2)])
        {
            var (alpha, sigma) = VariancePreserving(t);
            var epsilon = sample.Select(x => (float)Epsilon(x, alpha, sigma)).ToArray();
            sample = scheduler.Step(epsilon, t, sample).PrevSample;
        }

        var scale = Marginal(timesteps[steps / 2]) / Marginal(timesteps[0]);
        return sample.Zip(start).Max(pair => Math.Abs(pair.First - pair.Second * scale));
    }

    /// <summary>The spread of x_t, √(α²s² + σ²): the ODE keeps x_t over it constant.</summary>
    private static double Marginal(float timestep)
    {
        var (alpha, sigma) = VariancePreserving(timestep);
        return Math.Sqrt(alpha * alpha * Spread * Spread + sigma * sigma);
    }

    /// <summary>The noise the best denoiser sees in x_t: (x − α·E[x0 | x])/σ, with E[x0 | x] = α·s²/(α²s² + σ²)·x.</summary>
    private static double Epsilon(double x, double alpha, double sigma) =>
        (x - alpha * (alpha * Spread * Spread / (alpha * alpha * Spread * Spread + sigma * sigma) * x)) / sigma;
}
