namespace WebStudio.Generation.Schedulers;

/// <summary>
/// The k-diffusion family (Euler, Euler ancestral, LMS): they walk a sigma schedule, feed the model
/// x/√(σ²+1), and noise a clean sample as x + σ·ε.
/// </summary>
public abstract class SigmaSchedulerBase : SchedulerBase
{
    protected SigmaSchedulerBase(SchedulerConfig config, bool useKarrasSigmas) : base(config)
    {
        UseKarrasSigmas = useKarrasSigmas;
        if (config.RescaleBetasZeroSnr)
        {
            // diffusers: a zero terminal ᾱ would make σ infinite, so it is nudged to 2^-24.
            AlphasCumprod[^1] = MathF.Pow(2, -24);
        }

        TrainSigmas = TimestepMath.TrainingSigmas(AlphasCumprod);
        Sigmas = [.. TrainSigmas.Reverse(), 0f];
    }

    protected bool UseKarrasSigmas { get; }

    protected float[] TrainSigmas { get; }

    /// <summary>One sigma per schedule entry, then a final 0.</summary>
    protected float[] Sigmas { get; set; }

    public override float InitNoiseSigma
    {
        get
        {
            var max = Sigmas.Max();
            return Config.TimestepSpacing is "linspace" or "trailing" ? max : MathF.Sqrt(max * max + 1f);
        }
    }

    public override float[] ScaleModelInput(float[] sample, float timestep)
    {
        ArgumentNullException.ThrowIfNull(sample);
        InitStepIndex(timestep);
        var sigma = InputSigma(StepIndex!.Value);
        var scale = MathF.Sqrt(sigma * sigma + 1f);
        var scaled = new float[sample.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = sample[i] / scale;
        }

        return scaled;
    }

    /// <summary>The sigma the model is asked at in schedule entry <paramref name="index"/>: the entry's own, or a
    /// second-order step's midpoint.</summary>
    protected virtual float InputSigma(int index) => Sigmas[index];

    public override float[] AddNoise(float[] originalSamples, float[] noise, float timestep)
    {
        CheckSameLength(originalSamples, noise);
        var sigma = Sigmas[NoiseIndex(timestep)];
        var noisy = new float[originalSamples.Length];
        for (var i = 0; i < noisy.Length; i++)
        {
            noisy[i] = originalSamples[i] + noise[i] * sigma;
        }

        return noisy;
    }

    protected override void BuildSchedule(int numInferenceSteps)
    {
        // diffusers keeps these timesteps as float32 before interpolating sigmas at them.
        var timesteps = TimestepMath.Spaced(Config, numInferenceSteps, roundLinspace: false).Select(t => (double)(float)t).ToArray();
        var sigmas = timesteps.Select(t => TimestepMath.Interp(t, TrainSigmas)).ToArray();
        if (UseKarrasSigmas)
        {
            var logSigmas = TrainSigmas.Select(s => MathF.Log(s)).ToArray();
            sigmas = TimestepMath.Karras(sigmas[0], sigmas[^1], numInferenceSteps);
            timesteps = sigmas.Select(s => TimestepMath.SigmaToT(s, logSigmas)).ToArray();
        }

        Schedule = timesteps.Select(t => (float)t).ToArray();
        Sigmas = [.. sigmas.Select(s => (float)s), 0f];
        OnScheduleBuilt();
    }

    /// <summary>Clears per-run history kept by a subclass.</summary>
    protected virtual void OnScheduleBuilt()
    {
    }

    /// <summary>k-diffusion's get_ancestral_step (η = 1): a step from <paramref name="from"/> to <paramref name="to"/>
    /// goes down to σ_down and adds fresh noise of σ_up, with σ_down² + σ_up² = <paramref name="to"/>² (both 0 for a
    /// step to 0).</summary>
    protected static (float Down, float Up) AncestralStep(float from, float to)
    {
        var up = MathF.Sqrt(to * to * (from * from - to * to) / (from * from));
        return (MathF.Sqrt(to * to - up * up), up);
    }

    /// <summary>The midpoint of <paramref name="a"/> and <paramref name="b"/> in log-sigma, √(a·b), where the
    /// second-order samplers ask the model the second time (0 where either is 0).</summary>
    protected static float LogMidpoint(float a, float b) => MathF.Exp((MathF.Log(a) + MathF.Log(b)) / 2f);

    /// <summary>x0 from the model output at noise level σ (ε- or v-prediction).</summary>
    protected float[] PredictOriginal(float[] modelOutput, float[] sample, float sigma)
    {
        var x0 = new float[sample.Length];
        if (Config.IsVPrediction)
        {
            var outScale = -sigma / MathF.Sqrt(sigma * sigma + 1f);
            var sampleScale = sigma * sigma + 1f;
            for (var i = 0; i < x0.Length; i++)
            {
                x0[i] = modelOutput[i] * outScale + sample[i] / sampleScale;
            }
        }
        else
        {
            for (var i = 0; i < x0.Length; i++)
            {
                x0[i] = sample[i] - sigma * modelOutput[i];
            }
        }

        return x0;
    }
}
