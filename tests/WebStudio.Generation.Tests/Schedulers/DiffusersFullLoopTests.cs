using WebStudio.Generation.Schedulers;
using static WebStudio.Generation.Tests.Schedulers.SchedulerTestData;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>
/// The full_loop tests of diffusers' tests/schedulers/test_scheduler_*.py, run as written there, against the
/// sums and means diffusers asserts (same tolerances: 1e-2 on the sum, 1e-3 on the mean).
/// </summary>
public sealed class DiffusersFullLoopTests
{
    [Theory]
    [InlineData("epsilon", 10.0807, 0.0131)]
    [InlineData("v_prediction", 0.0002, 2.2676e-06)]
    public void Euler_matches_diffusers(string prediction, double sum, double mean)
    {
        var config = Linear(1100, "linspace") with { PredictionType = prediction };
        var sample = ScaledLoop(new EulerDiscreteScheduler(config));
        AssertFigures(sample, sum, mean);
    }

    [Fact]
    public void Euler_with_Karras_sigmas_matches_diffusers()
    {
        var sample = ScaledLoop(new EulerDiscreteScheduler(Linear(1100, "linspace"), useKarrasSigmas: true));
        AssertFigures(sample, 124.52299499511719, 0.16213932633399963);
    }

    [Theory]
    [InlineData("epsilon", false, 0.1233, 0.0002)]
    [InlineData("v_prediction", false, 4.6934e-07, 6.1112e-10)]
    [InlineData("epsilon", true, 0.00015, 1.9869554535034695e-07)]
    public void Heun_matches_diffusers(string prediction, bool karras, double sum, double mean)
    {
        var config = Linear(1100, "linspace") with { PredictionType = prediction };
        var scheduler = new HeunDiscreteScheduler(config, useKarrasSigmas: karras);
        var sample = ScaledLoop(scheduler);
        Assert.Equal(19, scheduler.Timesteps.Count);
        AssertFigures(sample, sum, mean);
    }

    /// <summary>test_full_loop_with_noise: noised to the 9th step (entry 16 of the doubled schedule: Heun's second of
    /// its timestep's two, DPM2's first of the step), then both halves of each step.</summary>
    [Theory]
    [InlineData(SchedulerNames.Heun, 75074.8906, 97.7538)]
    [InlineData(SchedulerNames.Dpm2, 70408.4062, 91.6776)]
    public void Second_order_from_noised_start_matches_diffusers(string name, double sum, double mean)
    {
        var scheduler = SchedulerFactory.Create(name, Linear(1100, "linspace"));
        scheduler.SetTimesteps(10);
        var timesteps = scheduler.Timesteps.Skip(8 * scheduler.Order).ToArray();
        var start = DummySampleDeter().Select(v => v * scheduler.InitNoiseSigma).ToArray();
        var sample = scheduler.AddNoise(start, DummyNoiseDeter(), timesteps[0]);
        foreach (var t in timesteps)
        {
            sample = scheduler.ScaleModelInput(sample, t);
            sample = scheduler.Step(DummyModel(sample, t), t, sample).PrevSample;
        }

        // diffusers' 1e-2 on a sum of 70,000 asks for torch's float32 rounding to the last bit; held to a part in a million.
        Assert.InRange(SumAbs(sample), sum * (1 - 1e-6), sum * (1 + 1e-6));
        Assert.InRange(MeanAbs(sample), mean - 1e-3, mean + 1e-3);
    }

    /// <summary>test_scheduler_kdpm2_discrete's full loops: 10 steps in 19 model calls, each midpoint between its step's
    /// two sigmas.</summary>
    [Theory]
    [InlineData("epsilon", 20.4125, 0.0266)]
    [InlineData("v_prediction", 4.6934e-07, 6.1112e-10)]
    public void DPM2_matches_diffusers(string prediction, double sum, double mean)
    {
        var config = Linear(1100, "linspace") with { PredictionType = prediction };
        var scheduler = new KDpm2DiscreteScheduler(config);
        var sample = ScaledLoop(scheduler);
        Assert.Equal(19, scheduler.Timesteps.Count);
        Assert.True(scheduler.Timesteps.Zip(scheduler.Timesteps.Skip(1)).All(p => p.First > p.Second), "each midpoint lies between its step's timesteps");
        AssertFigures(sample, sum, mean);
    }

    [Theory]
    [InlineData("epsilon", false, 1006.388, 1.31)]
    [InlineData("v_prediction", false, 0.0017, 2.2676e-06)]
    [InlineData("epsilon", true, 3812.9927, 4.9648)]
    public void LMS_matches_diffusers(string prediction, bool karras, double sum, double mean)
    {
        var config = Linear(1100, "linspace") with { PredictionType = prediction };
        var sample = ScaledLoop(new LMSDiscreteScheduler(config, useKarrasSigmas: karras));
        AssertFigures(sample, sum, mean);
    }

    [Theory]
    [InlineData("epsilon", 172.0067, 0.223967)]
    [InlineData("v_prediction", 52.5302, 0.0684)]
    public void DDIM_matches_diffusers(string prediction, double sum, double mean)
    {
        var config = Linear(1000, "leading", setAlphaToOne: true) with { ClipSample = true, PredictionType = prediction };
        var sample = PlainLoop(new DDIMScheduler(config, eta: 0f));
        AssertFigures(sample, sum, mean);
    }

    [Theory]
    [InlineData(true, 0.01, 149.8295, 0.1951)]
    [InlineData(false, 0.01, 149.0784, 0.1941)]
    public void DDIM_final_alpha_matches_diffusers(bool setAlphaToOne, double betaStart, double sum, double mean)
    {
        var config = Linear(1000, "leading", setAlphaToOne) with { ClipSample = true, BetaStart = betaStart };
        AssertFigures(PlainLoop(new DDIMScheduler(config)), sum, mean);
    }

    [Fact]
    public void DDIM_from_noised_start_matches_diffusers()
    {
        var sample = NoisedLoop(new DDIMScheduler(Linear(1000, "leading", setAlphaToOne: true) with { ClipSample = true }));
        AssertFigures(sample, 354.5418, 0.4616);
    }

    [Theory]
    [InlineData("epsilon", false, 0.0001, 198.1318, 0.2580)]
    [InlineData("v_prediction", false, 0.0001, 67.3986, 0.0878)]
    [InlineData("epsilon", true, 0.01, 230.0399, 0.2995)]
    [InlineData("epsilon", false, 0.01, 186.9482, 0.2434)]
    public void PNDM_with_Runge_Kutta_steps_matches_diffusers(string prediction, bool setAlphaToOne, double betaStart, double sum, double mean)
    {
        var config = Linear(1000, "leading", setAlphaToOne) with { SkipPrkSteps = false, PredictionType = prediction, BetaStart = betaStart };
        var sample = PlainLoop(new PNDMScheduler(config));
        AssertFigures(sample, sum, mean);
    }

    /// <summary>
    /// test_full_loop_no_noise's config sets lower_order_final False; its 0.3301 is the schedule that ends at the
    /// smallest training sigma (final_sigmas_type "sigma_min", second order to the end). The default zero final
    /// sigma is checked by <see cref="DPM_solver_with_zero_final_sigma_ends_on_its_data_prediction"/>.
    /// </summary>
    [Theory]
    [InlineData("epsilon", 0.3301)]
    [InlineData("v_prediction", 0.2251)]
    public void DPM_solver_multistep_matches_diffusers(string prediction, double mean)
    {
        var config = Linear(1000, "linspace") with { PredictionType = prediction };
        var sample = PlainLoop(new DPMSolverMultistepScheduler(config, finalSigmaZero: false, lowerOrderFinal: false));
        Assert.InRange(MeanAbs(sample), mean - 1e-3, mean + 1e-3);
    }

    [Fact]
    public void DPM_solver_with_zero_final_sigma_ends_on_its_data_prediction()
    {
        var scheduler = new DPMSolverMultistepScheduler(Linear(1000, "linspace"));
        scheduler.SetTimesteps(10);
        var sample = DummySampleDeter();
        SchedulerStepOutput? last = null;
        foreach (var t in scheduler.Timesteps.ToArray())
        {
            last = scheduler.Step(DummyModel(sample, t), t, sample);
            sample = last.PrevSample;
        }

        // A first-order step to sigma 0 lands exactly on x0.
        Assert.Equal(last!.PredOriginalSample, sample);
        Assert.All(sample, v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>test_scheduler_unipc.py's full loops: its config ends at the smallest training sigma ("sigma_min").</summary>
    [Theory]
    [Trait("Capability", "StudioCore")]
    [InlineData("epsilon", false, 0.2464)]
    [InlineData("epsilon", true, 0.2925)]
    [InlineData("v_prediction", false, 0.1014)]
    [InlineData("v_prediction", true, 0.1966)]
    public void UniPC_matches_diffusers(string prediction, bool karras, double mean)
    {
        var config = Linear(1000, "linspace") with { PredictionType = prediction };
        var sample = PlainLoop(new UniPCMultistepScheduler(config, useKarrasSigmas: karras, finalSigmaZero: false));
        Assert.InRange(MeanAbs(sample), mean - 1e-3, mean + 1e-3);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public void UniPC_from_noised_start_matches_diffusers()
    {
        var sample = NoisedLoop(new UniPCMultistepScheduler(Linear(1000, "linspace"), finalSigmaZero: false));
        AssertFigures(sample, 315.5757, 0.4109);
    }

    [Fact]
    public void LCM_one_step_matches_diffusers()
    {
        var config = SchedulerConfig.StableDiffusionDefault with { StepsOffset = 0, SetAlphaToOne = true };
        var sample = PlainLoop(new LCMScheduler(config), steps: 1);
        AssertFigures(sample, 18.7097, 0.0244);
    }

    /// <summary>The Euler/LMS tests' loop: the scaled sample is both the model input and what step receives.</summary>
    private static float[] ScaledLoop(IScheduler scheduler)
    {
        scheduler.SetTimesteps(10);
        var sample = DummySampleDeter().Select(v => v * scheduler.InitNoiseSigma).ToArray();
        foreach (var t in scheduler.Timesteps.ToArray())
        {
            sample = scheduler.ScaleModelInput(sample, t);
            sample = scheduler.Step(DummyModel(sample, t), t, sample).PrevSample;
        }

        return sample;
    }

    /// <summary>The with_noise tests' loop: 10 steps, the deterministic sample noised to the 9th entry and run from there.</summary>
    private static float[] NoisedLoop(IScheduler scheduler)
    {
        scheduler.SetTimesteps(10);
        var timesteps = scheduler.Timesteps.Skip(8 * scheduler.Order).ToArray();
        var sample = scheduler.AddNoise(DummySampleDeter(), DummyNoiseDeter(), timesteps[0]);
        foreach (var t in timesteps)
        {
            sample = scheduler.Step(DummyModel(sample, t), t, sample).PrevSample;
        }

        return sample;
    }

    private static float[] PlainLoop(IScheduler scheduler, int steps = 10)
    {
        scheduler.SetTimesteps(steps);
        var sample = DummySampleDeter();
        foreach (var t in scheduler.Timesteps.ToArray())
        {
            sample = scheduler.Step(DummyModel(sample, t), t, sample).PrevSample;
        }

        return sample;
    }

    private static void AssertFigures(float[] sample, double sum, double mean)
    {
        Assert.InRange(SumAbs(sample), sum - 1e-2, sum + 1e-2);
        Assert.InRange(MeanAbs(sample), mean - 1e-3, mean + 1e-3);
    }
}
