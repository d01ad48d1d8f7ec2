using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// What every diffusers scheduler shares: the training schedule, the visited timesteps and the step/begin index
/// bookkeeping of SchedulerMixin (step_index, begin_index, index_for_timestep).
/// </summary>
public abstract class SchedulerBase : IScheduler
{
    protected SchedulerBase(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        AlphasCumprod = NoiseSchedule.AlphasCumprod(config);
    }

    protected SchedulerConfig Config { get; }

    /// <summary>ᾱ for each training timestep.</summary>
    protected float[] AlphasCumprod { get; }

    protected float[] Schedule { get; set; } = [];

    /// <summary>Index of the schedule entry the next step handles; null until the first step (or scaling).</summary>
    protected int? StepIndex { get; set; }

    protected int? BeginIndex { get; private set; }

    protected int NumInferenceSteps { get; private set; }

    public IReadOnlyList<float> Timesteps => Schedule;

    public abstract float InitNoiseSigma { get; }

    public virtual int Order => 1;

    public void SetTimesteps(int numInferenceSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numInferenceSteps, 1);
        if (numInferenceSteps > Config.NumTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps,
                $"Steps cannot exceed the {Config.NumTrainTimesteps} training timesteps of the model.");
        }

        NumInferenceSteps = numInferenceSteps;
        StepIndex = null;
        BeginIndex = null;
        BuildSchedule(numInferenceSteps);
    }

    public void SetBeginIndex(int beginIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beginIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(beginIndex, Schedule.Length);
        BeginIndex = beginIndex;
    }

    public virtual float[] ScaleModelInput(float[] sample, float timestep) => sample;

    public SchedulerStepOutput Step(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator = null)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        if (Schedule.Length == 0)
        {
            throw new InvalidOperationException("SetTimesteps must be called before Step.");
        }

        if (modelOutput.Length != sample.Length)
        {
            throw new ArgumentException($"Model output holds {modelOutput.Length} values but the sample holds {sample.Length}.", nameof(modelOutput));
        }

        return StepCore(modelOutput, timestep, sample, generator);
    }

    public abstract float[] AddNoise(float[] originalSamples, float[] noise, float timestep);

    protected abstract void BuildSchedule(int numInferenceSteps);

    protected abstract SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator);

    /// <summary>diffusers' index_for_timestep: the second match when a timestep repeats, so img2img never repeats a step.</summary>
    protected int IndexForTimestep(float timestep)
    {
        var first = Array.IndexOf(Schedule, timestep);
        if (first < 0)
        {
            throw new ArgumentException($"Timestep {timestep} is not in the current schedule.", nameof(timestep));
        }

        var second = Array.IndexOf(Schedule, timestep, first + 1);
        return second >= 0 ? second : first;
    }

    protected void InitStepIndex(float timestep) => StepIndex ??= BeginIndex ?? IndexForTimestep(timestep);

    /// <summary>Which schedule entry add_noise uses: diffusers takes the running or begin index once img2img has set one.</summary>
    protected int NoiseIndex(float timestep) => BeginIndex is null ? IndexForTimestep(timestep) : StepIndex ?? BeginIndex.Value;

    /// <summary>x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε (DDPM forward process), for the alpha-parameterised schedulers.</summary>
    protected float[] AddNoiseByAlpha(float[] originalSamples, float[] noise, float timestep)
    {
        CheckSameLength(originalSamples, noise);
        var alpha = AlphasCumprod[TrainIndex(timestep)];
        var signal = MathF.Sqrt(alpha);
        var spread = MathF.Sqrt(1f - alpha);
        var noisy = new float[originalSamples.Length];
        for (var i = 0; i < noisy.Length; i++)
        {
            noisy[i] = signal * originalSamples[i] + spread * noise[i];
        }

        return noisy;
    }

    /// <summary>An integer training timestep as an index into ᾱ.</summary>
    protected int TrainIndex(float timestep)
    {
        var index = (int)MathF.Round(timestep);
        if (index < 0 || index >= AlphasCumprod.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(timestep), timestep, $"Timestep must lie in 0..{AlphasCumprod.Length - 1}.");
        }

        return index;
    }

    protected static void CheckSameLength(float[] originalSamples, float[] noise)
    {
        ArgumentNullException.ThrowIfNull(originalSamples);
        ArgumentNullException.ThrowIfNull(noise);
        if (originalSamples.Length != noise.Length)
        {
            throw new ArgumentException($"Noise holds {noise.Length} values but the samples hold {originalSamples.Length}.", nameof(noise));
        }
    }

    protected float[] ClipIfConfigured(float[] values)
    {
        if (!Config.ClipSample)
        {
            return values;
        }

        var range = (float)Config.ClipSampleRange;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], -range, range);
        }

        return values;
    }
}
