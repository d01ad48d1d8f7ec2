namespace WebStudio.Generation.Schedulers;

/// <summary>
/// What diffusers' exponential-integrator multistep solvers share (DPMSolverMultistepScheduler and
/// UniPCMultistepScheduler copy it from each other): the schedule of timesteps and sigmas, Karras or exponential
/// sigmas, a last sigma of zero or of the smallest training sigma, the data prediction they step on, and add_noise in
/// the VP form.
/// </summary>
public abstract class MultistepSolverBase : SchedulerBase
{
    private readonly bool _useKarrasSigmas;
    private readonly bool _exponentialSigmas;
    private readonly bool _finalSigmaZero;
    private readonly float[] _trainSigmas;

    protected MultistepSolverBase(SchedulerConfig config, bool? useKarrasSigmas, bool finalSigmaZero, bool exponentialSigmas = false)
        : base(config)
    {
        _useKarrasSigmas = useKarrasSigmas ?? config.UseKarrasSigmas;
        _exponentialSigmas = exponentialSigmas;
        _finalSigmaZero = finalSigmaZero;
        if (config.RescaleBetasZeroSnr)
        {
            // As in diffusers: keep the terminal sigma finite.
            AlphasCumprod[^1] = MathF.Pow(2, -24);
        }

        _trainSigmas = TimestepMath.TrainingSigmas(AlphasCumprod);
    }

    /// <summary>The schedule's sigmas, one per timestep and then the last one the final step lands on.</summary>
    protected float[] Sigmas { get; private set; } = [];

    /// <summary>Whether the schedule ends at sigma zero (infinite log-SNR), where the last step can only be first order.</summary>
    protected bool FinalSigmaZero => _finalSigmaZero;

    public override float InitNoiseSigma => 1f;

    public override float[] AddNoise(float[] originalSamples, float[] noise, float timestep)
    {
        CheckSameLength(originalSamples, noise);
        var (alpha, sigma) = AlphaSigma(Sigmas[NoiseIndex(timestep)]);
        var noisy = new float[originalSamples.Length];
        for (var i = 0; i < noisy.Length; i++)
        {
            noisy[i] = (float)(alpha * originalSamples[i] + sigma * noise[i]);
        }

        return noisy;
    }

    protected sealed override void BuildSchedule(int numInferenceSteps)
    {
        var train = Config.NumTrainTimesteps;
        double[] timesteps = Config.TimestepSpacing switch
        {
            "linspace" => [.. TimestepMath.Linspace(0, train - 1, numInferenceSteps + 1).Select(v => Math.Round(v)).Reverse().Take(numInferenceSteps)],
            "leading" => [.. Enumerable.Range(1, numInferenceSteps).Reverse().Select(i => (double)(i * (train / (numInferenceSteps + 1)) + Config.StepsOffset))],
            _ => TimestepMath.Spaced(Config, numInferenceSteps, roundLinspace: true),
        };

        double[] sigmas;
        var logSigmas = _trainSigmas.Select(s => MathF.Log(s)).ToArray();
        if (_useKarrasSigmas)
        {
            sigmas = TimestepMath.Karras(_trainSigmas[^1], _trainSigmas[0], numInferenceSteps);
            timesteps = [.. sigmas.Select(s => Math.Round(TimestepMath.SigmaToT(s, logSigmas)))];
        }
        else if (_exponentialSigmas)
        {
            // diffusers does not round these timesteps; its cast to int64 truncates them.
            sigmas = TimestepMath.Exponential(_trainSigmas[^1], _trainSigmas[0], numInferenceSteps);
            timesteps = [.. sigmas.Select(s => Math.Floor(TimestepMath.SigmaToT(s, logSigmas)))];
        }
        else
        {
            sigmas = [.. timesteps.Select(t => TimestepMath.Interp(t, _trainSigmas))];
        }

        Schedule = [.. timesteps.Select(t => (float)t)];
        Sigmas = [.. sigmas.Select(s => (float)s), _finalSigmaZero ? 0f : _trainSigmas[0]];
        ResetHistory();
    }

    /// <summary>Forgets the model outputs kept from earlier steps: a new schedule starts without history.</summary>
    protected abstract void ResetHistory();

    /// <summary>The schedule entry this step handles; diffusers runs an unknown timestep as the last step.</summary>
    protected int CurrentIndex(float timestep)
    {
        StepIndex ??= BeginIndex ?? (Array.IndexOf(Schedule, timestep) < 0 ? Schedule.Length - 1 : IndexForTimestep(timestep));
        return StepIndex.Value;
    }

    /// <summary>The data prediction x0 = (x − σ_t·ε)/α_t (v-prediction: α_t·x − σ_t·v) that these solvers work on.</summary>
    protected float[] DataPrediction(float[] modelOutput, float[] sample, float sigma)
    {
        var (alpha, sigmaT) = AlphaSigma(sigma);
        var x0 = new float[sample.Length];
        for (var i = 0; i < x0.Length; i++)
        {
            x0[i] = Config.IsVPrediction
                ? (float)(alpha * sample[i] - sigmaT * modelOutput[i])
                : (float)((sample[i] - sigmaT * modelOutput[i]) / alpha);
        }

        return x0;
    }

    /// <summary>σ in the k-diffusion sense mapped back to the VP pair (α_t, σ_t).</summary>
    protected static (double Alpha, double Sigma) AlphaSigma(float sigma)
    {
        var alpha = 1.0 / Math.Sqrt((double)sigma * sigma + 1.0);
        return (alpha, sigma * alpha);
    }

    /// <summary>The half log-SNR λ = log α − log σ of the schedule's entry <paramref name="index"/>.</summary>
    protected double Lambda(int index)
    {
        var (alpha, sigma) = AlphaSigma(Sigmas[index]);
        return Math.Log(alpha) - Math.Log(sigma);
    }
}
