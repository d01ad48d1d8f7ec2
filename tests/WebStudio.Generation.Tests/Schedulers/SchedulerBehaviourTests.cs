using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;
using static WebStudio.Generation.Tests.Schedulers.SchedulerTestData;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>How every scheduler behaves inside a pipeline-shaped loop, and its img2img entry points.</summary>
public sealed class SchedulerBehaviourTests
{
    public static TheoryData<string> Names() => [.. SchedulerNames.All];

    [Theory]
    [MemberData(nameof(Names))]
    public void Twenty_steps_from_noise_stay_finite_and_shrink_the_noise(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(20);
        var generator = new GaussianNoise(7);
        var latents = generator.Next(4 * 16 * 16).Select(v => v * scheduler.InitNoiseSigma).ToArray();
        var start = RootMeanSquare(latents);
        SchedulerStepOutput? output = null;
        foreach (var t in scheduler.Timesteps.ToArray())
        {
            var input = scheduler.ScaleModelInput(latents, t);
            // A toy ε-model that calls most of its input noise.
            var epsilon = input.Select(v => 0.8f * v).ToArray();
            output = scheduler.Step(epsilon, t, latents, generator);
            latents = output.PrevSample;
        }

        Assert.All(latents, v => Assert.True(float.IsFinite(v)));
        Assert.All(output!.PredOriginalSample, v => Assert.True(float.IsFinite(v)));
        Assert.InRange(RootMeanSquare(latents), 1e-6, start);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_model_calls_counted_for_the_queue_are_the_schedules_own(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        foreach (var steps in new[] { 1, 2, 10, 30 })
        {
            scheduler.SetTimesteps(steps);
            Assert.Equal(scheduler.Timesteps.Count, SchedulerNames.ModelCalls(name, steps));
        }

        Assert.Equal(scheduler.Order == 2, SchedulerNames.SecondOrder.Contains(name));
    }

    [Theory]
    [InlineData(SchedulerNames.Euler)]
    [InlineData(SchedulerNames.EulerAncestral)]
    [InlineData(SchedulerNames.Lms)]
    [InlineData(SchedulerNames.Heun)]
    [InlineData(SchedulerNames.Dpm2)]
    [InlineData(SchedulerNames.Dpm2Ancestral)]
    public void Sigma_schedulers_add_noise_as_x_plus_sigma_epsilon(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(20);
        // Entry 4 is a step's own timestep for all of them (a second-order schedule's fifth entry is DPM2's midpoint).
        var t = scheduler.Timesteps[4];
        var alpha = StableDiffusionAlphaCumprod((int)t);
        var sigma = Math.Sqrt((1 - alpha) / alpha);
        var (clean, noise) = CleanAndNoise();

        var noisy = scheduler.AddNoise(clean, noise, t);

        for (var i = 0; i < clean.Length; i++)
        {
            Assert.Equal(clean[i] + sigma * noise[i], noisy[i], 1e-3 * (1 + sigma));
        }
    }

    [Theory]
    [InlineData(SchedulerNames.Ddim)]
    [InlineData(SchedulerNames.Plms)]
    [InlineData(SchedulerNames.Lcm)]
    [InlineData(SchedulerNames.DpmPlusPlus2M)]
    [InlineData(SchedulerNames.DpmPlusPlus2MSde)]
    [InlineData(SchedulerNames.UniPc)]
    public void Variance_preserving_schedulers_add_noise_by_alpha_bar(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(4);
        var t = scheduler.Timesteps[1];
        var alpha = StableDiffusionAlphaCumprod((int)t);
        var (clean, noise) = CleanAndNoise();

        var noisy = scheduler.AddNoise(clean, noise, t);

        for (var i = 0; i < clean.Length; i++)
        {
            Assert.Equal(Math.Sqrt(alpha) * clean[i] + Math.Sqrt(1 - alpha) * noise[i], noisy[i], 1e-4);
        }
    }

    [Fact]
    public void Begin_index_starts_img2img_part_way_through_the_schedule()
    {
        var scheduler = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(20);
        // strength 0.5: the first steps − floor(strength·steps) = 10 entries are skipped.
        scheduler.SetBeginIndex(10);
        var t = scheduler.Timesteps[10];
        var alpha = StableDiffusionAlphaCumprod((int)t);
        var sigma = Math.Sqrt((1 - alpha) / alpha);
        var (clean, noise) = CleanAndNoise();

        var noisy = scheduler.AddNoise(clean, noise, t);
        var scaled = scheduler.ScaleModelInput(noisy, t);
        var output = scheduler.Step(new float[noisy.Length], t, noisy);

        Assert.Equal(clean[3] + sigma * noise[3], noisy[3], 1e-3 * (1 + sigma));
        Assert.Equal(noisy[3] / Math.Sqrt(sigma * sigma + 1), scaled[3], 1e-4);
        // A zero ε means x0 is the sample itself, and the Euler step leaves it unchanged.
        Assert.Equal(noisy, output.PredOriginalSample);
        Assert.Equal(noisy, output.PrevSample);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_scheduler_runs_the_img2img_tail_of_its_schedule(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        var begin = 5 * scheduler.Order;
        scheduler.SetBeginIndex(begin);
        var generator = new GaussianNoise(5);
        var (clean, noise) = CleanAndNoise();
        var latents = scheduler.AddNoise(clean, noise, scheduler.Timesteps[begin]);
        foreach (var t in scheduler.Timesteps.Skip(begin).ToArray())
        {
            var epsilon = scheduler.ScaleModelInput(latents, t).Select(v => 0.5f * v).ToArray();
            latents = scheduler.Step(epsilon, t, latents, generator).PrevSample;
        }

        Assert.All(latents, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Begin_index_past_the_schedule_is_rejected()
    {
        var scheduler = new DDIMScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.SetBeginIndex(11));
    }

    [Fact]
    public void DDIM_predicts_the_clean_sample_it_was_noised_from()
    {
        var scheduler = new DDIMScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        var t = scheduler.Timesteps[3];
        var (clean, noise) = CleanAndNoise();
        var noisy = scheduler.AddNoise(clean, noise, t);

        var output = scheduler.Step(noise, t, noisy);

        for (var i = 0; i < clean.Length; i++)
        {
            Assert.Equal(clean[i], output.PredOriginalSample[i], 1e-3);
        }
    }

    [Fact]
    public void Factory_rejects_an_unknown_name_and_lists_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => SchedulerFactory.Create("Heun++", SchedulerConfig.StableDiffusionDefault));
        Assert.Contains("Heun++", error.Message);
        Assert.All(SchedulerNames.All, name => Assert.Contains(name, error.Message));
    }

    [Theory]
    [InlineData(SchedulerNames.Euler, typeof(EulerDiscreteScheduler))]
    [InlineData(SchedulerNames.EulerKarras, typeof(EulerDiscreteScheduler))]
    [InlineData(SchedulerNames.EulerAncestral, typeof(EulerAncestralDiscreteScheduler))]
    [InlineData(SchedulerNames.EulerAncestralKarras, typeof(EulerAncestralDiscreteScheduler))]
    [InlineData(SchedulerNames.Ddim, typeof(DDIMScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2M, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MKarras, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSde, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeKarras, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.UniPc, typeof(UniPCMultistepScheduler))]
    [InlineData(SchedulerNames.Lms, typeof(LMSDiscreteScheduler))]
    [InlineData(SchedulerNames.LmsKarras, typeof(LMSDiscreteScheduler))]
    [InlineData(SchedulerNames.Heun, typeof(HeunDiscreteScheduler))]
    [InlineData(SchedulerNames.HeunKarras, typeof(HeunDiscreteScheduler))]
    [InlineData(SchedulerNames.Dpm2, typeof(KDpm2DiscreteScheduler))]
    [InlineData(SchedulerNames.Dpm2Karras, typeof(KDpm2DiscreteScheduler))]
    [InlineData(SchedulerNames.Dpm2Ancestral, typeof(KDpm2AncestralDiscreteScheduler))]
    [InlineData(SchedulerNames.Dpm2AncestralKarras, typeof(KDpm2AncestralDiscreteScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2SAncestral, typeof(DpmPlusPlus2SAncestralScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2SAncestralKarras, typeof(DpmPlusPlus2SAncestralScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlusSde, typeof(DpmPlusPlusSdeScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlusSdeKarras, typeof(DpmPlusPlusSdeScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus3MSde, typeof(DpmPlusPlus3MSdeScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus3MSdeKarras, typeof(DpmPlusPlus3MSdeScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeExponential, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeun, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeunKarras, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeunExponential, typeof(DPMSolverMultistepScheduler))]
    [InlineData(SchedulerNames.DpmPlusPlus3MSdeExponential, typeof(DpmPlusPlus3MSdeScheduler))]
    [InlineData(SchedulerNames.Plms, typeof(PNDMScheduler))]
    [InlineData(SchedulerNames.Lcm, typeof(LCMScheduler))]
    public void Factory_maps_each_sampler_name(string name, Type expected) =>
        Assert.IsType(expected, SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault));

    [Fact]
    public void Euler_ancestral_is_reproducible_for_a_seed()
    {
        float[] Run()
        {
            var scheduler = SchedulerFactory.Create(SchedulerNames.EulerAncestral, SchedulerConfig.StableDiffusionDefault);
            scheduler.SetTimesteps(5);
            var generator = new GaussianNoise(11);
            var latents = DummySampleDeter();
            foreach (var t in scheduler.Timesteps.ToArray())
            {
                latents = scheduler.Step(DummyModel(scheduler.ScaleModelInput(latents, t), t), t, latents, generator).PrevSample;
            }

            return latents;
        }

        Assert.Equal(Run(), Run());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DPM2_a_adds_noise_of_sigma_up_after_each_step_but_the_last(bool karras)
    {
        var plain = new KDpm2DiscreteScheduler(SchedulerConfig.StableDiffusionDefault, karras);
        var ancestral = new KDpm2AncestralDiscreteScheduler(SchedulerConfig.StableDiffusionDefault, karras);
        var noise = new CountingNoise();
        foreach (var scheduler in new IScheduler[] { plain, ancestral })
        {
            scheduler.SetTimesteps(6);
            var latents = DummySampleDeter();
            foreach (var t in scheduler.Timesteps.ToArray())
            {
                latents = scheduler.Step(DummyModel(scheduler.ScaleModelInput(latents, t), t), t, latents, noise).PrevSample;
            }

            Assert.All(latents, v => Assert.True(float.IsFinite(v)));
        }

        // Both run 6 steps in 11 calls, from the same first timestep; only the ancestral one draws noise: once a step,
        // in its second half, and not in the last step, which lands on the model's clean sample.
        Assert.Equal(11, plain.Timesteps.Count);
        Assert.Equal(11, ancestral.Timesteps.Count);
        Assert.Equal(plain.Timesteps[0], ancestral.Timesteps[0]);
        Assert.Equal(plain.Timesteps[^1], ancestral.Timesteps[^1]);
        Assert.Equal(5, noise.Draws);
        // DPM2 a's midpoints lie lower than DPM2's: they are taken towards σ_down, which is below the next sigma.
        Assert.All(Enumerable.Range(0, 5), k => Assert.True(ancestral.Timesteps[2 * k + 1] < plain.Timesteps[2 * k + 1]));
    }

    /// <summary>DPM++ 2S a's first step against k-diffusion's sample_dpmpp_2s_ancestral, worked out here in double (without
    /// its noise): the model asked at σ₀ and at the midpoint √(σ₀·σ_down) in log-sigma, and the step ending at σ_down.</summary>
    [Fact]
    public void DPM_plus_plus_2S_a_takes_k_diffusions_step()
    {
        var scheduler = new DpmPlusPlus2SAncestralScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        var x = DummySampleDeter().Select(v => v * scheduler.InitNoiseSigma).ToArray();
        static float[] Epsilon(float[] input) => [.. input.Select(v => 0.5f * v)];
        var (first, second) = (scheduler.Timesteps[0], scheduler.Timesteps[1]);
        var atMid = scheduler.Step(Epsilon(scheduler.ScaleModelInput(x, first)), first, x, new NoNoise()).PrevSample;
        var stepped = scheduler.Step(Epsilon(scheduler.ScaleModelInput(atMid, second)), second, atMid, new NoNoise()).PrevSample;

        // k-diffusion: σ₀ and σ₁ at the first two steps' whole timesteps (entries 0 and 2); get_ancestral_step; the
        // ε-model's denoised x − σ·ε(x/√(σ²+1)); t_fn(σ) = −ln σ.
        var (s0, s1) = (TrainSigma(scheduler.Timesteps[0]), TrainSigma(scheduler.Timesteps[2]));
        var up = Math.Sqrt(s1 * s1 * (s0 * s0 - s1 * s1) / (s0 * s0));
        var down = Math.Sqrt(s1 * s1 - up * up);
        var h = -Math.Log(down) + Math.Log(s0);
        var sigmaMid = Math.Exp(Math.Log(s0) - h / 2);
        for (var i = 0; i < x.Length; i++)
        {
            var denoised = x[i] - s0 * 0.5 * x[i] / Math.Sqrt(s0 * s0 + 1);
            var x2 = sigmaMid / s0 * x[i] - double.ExpM1(-h / 2) * denoised;
            var denoised2 = x2 - sigmaMid * 0.5 * x2 / Math.Sqrt(sigmaMid * sigmaMid + 1);
            var expected = down / s0 * x[i] - double.ExpM1(-h) * denoised2;
            Assert.Equal(x2, atMid[i], 1e-4 * (1 + Math.Abs(x2)));
            Assert.Equal(expected, stepped[i], 1e-4 * (1 + Math.Abs(expected)));
        }
    }

    /// <summary>DPM++ SDE's first step against k-diffusion's sample_dpmpp_sde (η = 1, r = ½), worked out here in double
    /// from the same two draws: ζ, the whole step's Brownian increment over its length's root, and z, the bridge's own.</summary>
    [Fact]
    public void DPM_plus_plus_SDE_takes_k_diffusions_step()
    {
        var scheduler = new DpmPlusPlusSdeScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);
        var x = DummySampleDeter().Select(v => v * scheduler.InitNoiseSigma).ToArray();
        static float[] Epsilon(float[] input) => [.. input.Select(v => 0.5f * v)];
        var (first, second) = (scheduler.Timesteps[0], scheduler.Timesteps[1]);
        var noise = new GaussianNoise(5);
        var atMid = scheduler.Step(Epsilon(scheduler.ScaleModelInput(x, first)), first, x, noise).PrevSample;
        var stepped = scheduler.Step(Epsilon(scheduler.ScaleModelInput(atMid, second)), second, atMid, noise).PrevSample;

        var draws = new GaussianNoise(5);
        var (zeta, z) = (draws.Next(x.Length), draws.Next(x.Length));
        var (s0, s1) = (TrainSigma(scheduler.Timesteps[0]), TrainSigma(scheduler.Timesteps[2]));
        var (t, tNext) = (-Math.Log(s0), -Math.Log(s1));
        var sMid = Math.Exp(-(t + (tNext - t) / 2));
        var (down1, up1) = Ancestral(s0, sMid);
        var (down2, up2) = Ancestral(s0, s1);
        var rho = Math.Sqrt((s0 - sMid) / (s0 - s1));
        for (var i = 0; i < x.Length; i++)
        {
            var denoised = x[i] - s0 * 0.5 * x[i] / Math.Sqrt(s0 * s0 + 1);
            var x2 = down1 / s0 * x[i] - double.ExpM1(-Math.Log(s0) + Math.Log(down1)) * denoised
                + (rho * zeta[i] + Math.Sqrt(1 - rho * rho) * z[i]) * up1;
            var denoised2 = atMid[i] - sMid * 0.5 * atMid[i] / Math.Sqrt(sMid * sMid + 1);
            var expected = down2 / s0 * x[i] - double.ExpM1(-Math.Log(s0) + Math.Log(down2)) * denoised2 + zeta[i] * up2;
            Assert.Equal(x2, atMid[i], 1e-4 * (1 + Math.Abs(x2)));
            Assert.Equal(expected, stepped[i], 1e-4 * (1 + Math.Abs(expected)));
        }

        // The second evaluation is at the midpoint in log-sigma, and diffusers keeps its timestep fractional.
        Assert.Equal(TimestepOf(sMid), scheduler.Timesteps[1], 0.01);

        static (double Down, double Up) Ancestral(double from, double to)
        {
            var up = Math.Sqrt(to * to * (from * from - to * to) / (from * from));
            return (Math.Sqrt(to * to - up * up), up);
        }
    }

    /// <summary>The two noises of a DPM++ SDE step are increments of one Brownian path, W(mid) − W(σ_k) and
    /// W(σ_k+1) − W(σ_k), each over its length's root: unit variance, correlated by √((σ_k − mid)/(σ_k − σ_k+1)) since the
    /// first interval lies inside the second; a step's noise is independent of the next step's.</summary>
    [Fact]
    public void DPM_plus_plus_SDE_noises_are_increments_of_one_Brownian_path()
    {
        const int count = 200_000;
        static float[] Observe(IScheduler scheduler, INoiseSource noise, int steps)
        {
            // The same model output and input sample in both runs, so that the runs differ only by the added noise.
            var sample = new GaussianNoise(1).Next(count);
            var output = new GaussianNoise(2).Next(count);
            scheduler.SetTimesteps(10);
            return [.. scheduler.Timesteps.Take(steps).SelectMany(t => scheduler.Step(output, t, sample, noise).PrevSample)];
        }

        var scheduler = new DpmPlusPlusSdeScheduler(SchedulerConfig.StableDiffusionDefault);
        var noisy = Observe(scheduler, new GaussianNoise(3), 3);
        var clean = Observe(scheduler, new NoNoise(), 3);
        var (s0, s1, s2) = (TrainSigma(scheduler.Timesteps[0]), TrainSigma(scheduler.Timesteps[2]), TrainSigma(scheduler.Timesteps[4]));
        var mid0 = Math.Sqrt(s0 * s1);
        var mid1 = Math.Sqrt(s1 * s2);
        double[] Noise(int call, double up) => [.. Enumerable.Range(call * count, count).Select(i => (noisy[i] - clean[i]) / up)];
        var toMid = Noise(0, Up(s0, mid0));
        var whole = Noise(1, Up(s0, s1));
        var nextToMid = Noise(2, Up(s1, mid1));

        Assert.InRange(Variance(toMid), 0.98, 1.02);
        Assert.InRange(Variance(whole), 0.98, 1.02);
        Assert.InRange(Correlation(toMid, whole), Math.Sqrt((s0 - mid0) / (s0 - s1)) - 0.01, Math.Sqrt((s0 - mid0) / (s0 - s1)) + 0.01);
        Assert.InRange(Correlation(whole, nextToMid), -0.01, 0.01);

        static double Up(double from, double to) => Math.Sqrt(to * to * (from * from - to * to) / (from * from));
        static double Variance(double[] v) => v.Average(a => a * a);
        static double Correlation(double[] a, double[] b) =>
            a.Zip(b, (p, q) => p * q).Average() / Math.Sqrt(Variance(a) * Variance(b));
    }

    /// <summary>DPM++ 3M SDE over six steps against k-diffusion's sample_dpmpp_3m_sde, worked out here in double in its own
    /// variables (x in σ units, t = −ln σ) from the same noise draws: a first-order step, a second-order one, third-order
    /// ones, and the last onto the clean sample.</summary>
    [Fact]
    public void DPM_plus_plus_3M_SDE_takes_k_diffusions_steps()
    {
        var scheduler = new DpmPlusPlus3MSdeScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(6);
        var start = DummySampleDeter();
        var x = start;
        var noise = new GaussianNoise(5);
        foreach (var t in scheduler.Timesteps.ToArray())
        {
            x = scheduler.Step([.. scheduler.ScaleModelInput(x, t).Select(v => 0.5f * v)], t, x, noise).PrevSample;
        }

        double[] sigmas = [.. scheduler.Timesteps.Select(TrainSigma), 0];
        var draws = new GaussianNoise(5);
        var expected = start.Select(v => v * Math.Sqrt(sigmas[0] * sigmas[0] + 1)).ToArray();
        double[]? denoised1 = null, denoised2 = null;
        double h = 0, h1 = 0, h2 = 0;
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            var sigma = sigmas[i];
            var denoised = expected.Select(v => v - sigma * 0.5 * v / Math.Sqrt(sigma * sigma + 1)).ToArray();
            if (sigmas[i + 1] == 0)
            {
                expected = denoised;
            }
            else
            {
                h = Math.Log(sigma) - Math.Log(sigmas[i + 1]);
                var hEta = 2 * h;
                var phi2 = double.ExpM1(-hEta) / hEta + 1;
                var phi3 = phi2 / hEta - 0.5;
                var z = draws.Next(expected.Length);
                for (var j = 0; j < expected.Length; j++)
                {
                    var next = Math.Exp(-hEta) * expected[j] - double.ExpM1(-hEta) * denoised[j];
                    if (denoised2 is not null)
                    {
                        var (r0, r1) = (h1 / h, h2 / h);
                        var (d10, d11) = ((denoised[j] - denoised1![j]) / r0, (denoised1[j] - denoised2[j]) / r1);
                        next += phi2 * (d10 + (d10 - d11) * r0 / (r0 + r1)) - phi3 * (d10 - d11) / (r0 + r1);
                    }
                    else if (denoised1 is not null)
                    {
                        next += phi2 * (denoised[j] - denoised1[j]) / (h1 / h);
                    }

                    expected[j] = next + z[j] * sigmas[i + 1] * Math.Sqrt(-double.ExpM1(-2 * h));
                }
            }

            (denoised1, denoised2) = (denoised, denoised1);
            (h1, h2) = (h, h1);
        }

        for (var j = 0; j < x.Length; j++)
        {
            Assert.Equal(expected[j], x[j], 1e-3 * (1 + Math.Abs(expected[j])));
        }
    }

    /// <summary>diffusers' use_exponential_sigmas: the sigmas evenly spaced in log-sigma from the largest training sigma to the
    /// smallest, each step at its sigma's timestep cut down to a whole one (diffusers' cast to int64), as A1111's
    /// "Exponential" schedule.</summary>
    [Theory]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeExponential)]
    [InlineData(SchedulerNames.DpmPlusPlus2MSdeHeunExponential)]
    [InlineData(SchedulerNames.DpmPlusPlus3MSdeExponential)]
    public void Exponential_samplers_step_at_sigmas_evenly_spaced_in_log_sigma(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(10);

        var (high, low) = (Math.Log(TrainSigma(999)), Math.Log(TrainSigma(0)));
        var expected = Enumerable.Range(0, 10).Select(i => TimestepOf(Math.Exp(high + i / 9.0 * (low - high)))).ToArray();
        Assert.Equal(10, scheduler.Timesteps.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(MathF.Floor(scheduler.Timesteps[i]), scheduler.Timesteps[i]);
            Assert.InRange(scheduler.Timesteps[i], expected[i] - 1.001, expected[i] + 0.001);
        }

        // Not the uniform schedule's timesteps, nor Karras's.
        var karras = SchedulerFactory.Create(SchedulerNames.DpmPlusPlus2MSdeKarras, SchedulerConfig.StableDiffusionDefault);
        var uniform = SchedulerFactory.Create(SchedulerNames.DpmPlusPlus2MSde, SchedulerConfig.StableDiffusionDefault);
        karras.SetTimesteps(10);
        uniform.SetTimesteps(10);
        Assert.NotEqual(karras.Timesteps[5], scheduler.Timesteps[5]);
        Assert.NotEqual(uniform.Timesteps[5], scheduler.Timesteps[5]);
    }

    /// <summary>A1111's "Euler a" on the Karras schedule type is k-diffusion's sample_euler_ancestral over Karras sigmas
    /// (ρ = 7, between the uniform schedule's first and last sigma, as diffusers' use_karras_sigmas spans them): worked
    /// here in double, from the same noise draws, over every step down to σ = 0.</summary>
    [Fact]
    public void Euler_a_Karras_takes_k_diffusions_ancestral_steps_on_Karras_sigmas()
    {
        const int steps = 8;
        var scheduler = SchedulerFactory.Create(SchedulerNames.EulerAncestralKarras, SchedulerConfig.StableDiffusionDefault);
        var uniform = SchedulerFactory.Create(SchedulerNames.EulerAncestral, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(steps);
        uniform.SetTimesteps(steps);
        var (high, low) = (Math.Pow(TrainSigma(uniform.Timesteps[0]), 1 / 7.0), Math.Pow(TrainSigma(uniform.Timesteps[^1]), 1 / 7.0));
        double[] sigmas = [.. Enumerable.Range(0, steps).Select(i => Math.Pow(high + i / (steps - 1.0) * (low - high), 7)), 0];
        Assert.Equal(steps, scheduler.Timesteps.Count);
        for (var i = 0; i < steps; i++)
        {
            Assert.Equal(TimestepOf(sigmas[i]), scheduler.Timesteps[i], 0.01);
        }

        var x = DummySampleDeter().Select(v => v * scheduler.InitNoiseSigma).ToArray();
        var expected = x.Select(v => (double)v).ToArray();
        var (noise, draws) = (new GaussianNoise(4), new GaussianNoise(4));
        for (var k = 0; k < steps; k++)
        {
            var t = scheduler.Timesteps[k];
            x = scheduler.Step([.. scheduler.ScaleModelInput(x, t).Select(v => 0.5f * v)], t, x, noise).PrevSample;

            var (from, to) = (sigmas[k], sigmas[k + 1]);
            var up = Math.Sqrt(to * to * (from * from - to * to) / (from * from));
            var down = Math.Sqrt(to * to - up * up);
            var z = draws.Next(expected.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                var denoised = expected[i] - from * 0.5 * expected[i] / Math.Sqrt(from * from + 1);
                expected[i] += (expected[i] - denoised) / from * (down - from) + z[i] * up;
            }
        }

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(expected[i], x[i], 1e-4 * (1 + Math.Abs(expected[i])));
        }
    }

    [Fact]
    public void DPM2_Karras_steps_on_whole_timesteps_from_the_Karras_sigmas()
    {
        var karras = SchedulerFactory.Create(SchedulerNames.Dpm2Karras, SchedulerConfig.StableDiffusionDefault);
        var plain = SchedulerFactory.Create(SchedulerNames.Dpm2, SchedulerConfig.StableDiffusionDefault);
        karras.SetTimesteps(10);
        plain.SetTimesteps(10);

        // diffusers rounds the Karras step timesteps (entries 0, 2, 4 …) and keeps the midpoints fractional.
        var steps = karras.Timesteps.Where((_, i) => i % 2 == 0).ToList();
        Assert.All(steps, t => Assert.Equal(MathF.Round(t), t));
        Assert.Equal(plain.Timesteps[0], karras.Timesteps[0]);
        Assert.NotEqual(plain.Timesteps[2], karras.Timesteps[2]);
    }

    private sealed class NoNoise : INoiseSource
    {
        public float[] Next(int count) => new float[count];
    }

    private sealed class CountingNoise : INoiseSource
    {
        private readonly GaussianNoise _noise = new(9);

        public int Draws { get; private set; }

        public float[] Next(int count)
        {
            Draws++;
            return _noise.Next(count);
        }
    }

    /// <summary>The fractional training timestep of σ: log-sigma interpolation between the two training timesteps around
    /// it, as diffusers' _sigma_to_t does.</summary>
    private static double TimestepOf(double sigma)
    {
        var low = Enumerable.Range(0, 999).Last(t => TrainSigma(t) <= sigma);
        var w = (Math.Log(TrainSigma(low + 1)) - Math.Log(sigma)) / (Math.Log(TrainSigma(low + 1)) - Math.Log(TrainSigma(low)));
        return low + (1 - w);
    }

    /// <summary>σ at a whole training timestep of Stable Diffusion's schedule.</summary>
    private static double TrainSigma(float timestep) =>
        Math.Sqrt((1 - StableDiffusionAlphaCumprod((int)timestep)) / StableDiffusionAlphaCumprod((int)timestep));

    private static (float[] Clean, float[] Noise) CleanAndNoise()
    {
        var generator = new GaussianNoise(3);
        return (generator.Next(64), generator.Next(64));
    }

    private static double RootMeanSquare(float[] values) => Math.Sqrt(values.Average(v => (double)v * v));
}
