using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// The small scheduler interface of diffusers (SchedulerMixin): every sampler the pipeline can use has exactly this
/// shape. Samples are flat float arrays; every scheduler works element-wise, so the shape does not matter here.
/// A scheduler holds per-job state (step index, history), so one is created per job and never shared.
/// </summary>
public interface IScheduler
{
    /// <summary>Timesteps of the current schedule, in the order the pipeline visits them (fractional for some schedulers).</summary>
    IReadOnlyList<float> Timesteps { get; }

    /// <summary>Standard deviation of the initial noise: the pipeline multiplies fresh noise by it.</summary>
    float InitNoiseSigma { get; }

    /// <summary>Model evaluations per schedule entry (1 for all but higher-order solvers).</summary>
    int Order { get; }

    /// <summary>Builds the schedule for <paramref name="numInferenceSteps"/> steps and resets the state.</summary>
    void SetTimesteps(int numInferenceSteps);

    /// <summary>Starts the schedule at entry <paramref name="beginIndex"/> (img2img skips the first entries).</summary>
    void SetBeginIndex(int beginIndex);

    /// <summary>Scales the denoising model input for the current timestep (Euler/LMS divide by sqrt(sigma²+1); others return the sample).</summary>
    float[] ScaleModelInput(float[] sample, float timestep);

    /// <summary>Moves the sample from <paramref name="timestep"/> to the previous one.</summary>
    SchedulerStepOutput Step(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator = null);

    /// <summary>Noises clean samples to <paramref name="timestep"/>, as diffusers' add_noise does (img2img, inpainting).</summary>
    float[] AddNoise(float[] originalSamples, float[] noise, float timestep);
}

/// <summary>What one scheduler step yields: the previous sample and the predicted clean sample (x0).</summary>
public sealed record SchedulerStepOutput(float[] PrevSample, float[] PredOriginalSample);
