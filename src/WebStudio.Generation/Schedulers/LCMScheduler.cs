using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' LCMScheduler (Luo et al. 2023): each step maps straight to a clean sample through the consistency
/// boundary condition, then re-noises it to the next timestep (except after the last).
/// </summary>
public sealed class LCMScheduler(SchedulerConfig config) : SchedulerBase(config)
{
    private const double SigmaData = 0.5;

    public override float InitNoiseSigma => 1f;

    private float FinalAlphaCumprod => Config.SetAlphaToOne ? 1f : AlphasCumprod[0];

    public override float[] AddNoise(float[] originalSamples, float[] noise, float timestep) =>
        AddNoiseByAlpha(originalSamples, noise, timestep);

    protected override void BuildSchedule(int numInferenceSteps)
    {
        var original = Config.OriginalInferenceSteps;
        if (numInferenceSteps > original)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps,
                $"LCM cannot take more steps than its original_inference_steps ({original}).");
        }

        // LCM distils onto a coarse schedule k−1, 2k−1, …; inference picks evenly spaced entries of it, from the top.
        var k = Config.NumTrainTimesteps / original;
        var origin = Enumerable.Range(1, original).Select(i => i * k - 1).Reverse().ToArray();
        var positions = Enumerable.Range(0, numInferenceSteps).Select(i => (int)Math.Floor((double)i * origin.Length / numInferenceSteps));
        Schedule = [.. positions.Select(p => (float)origin[p])];
    }

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var t = TrainIndex(timestep);
        var prevTimestep = index + 1 < Schedule.Length ? TrainIndex(Schedule[index + 1]) : t;
        var alphaT = AlphasCumprod[t];
        var alphaPrev = prevTimestep >= 0 ? AlphasCumprod[prevTimestep] : FinalAlphaCumprod;
        var sqrtAlphaT = MathF.Sqrt(alphaT);
        var sqrtBetaT = MathF.Sqrt(1f - alphaT);
        var (cSkip, cOut) = BoundaryScalings(t);

        var x0 = new float[sample.Length];
        for (var i = 0; i < x0.Length; i++)
        {
            x0[i] = Config.IsVPrediction
                ? sqrtAlphaT * sample[i] - sqrtBetaT * modelOutput[i]
                : (sample[i] - sqrtBetaT * modelOutput[i]) / sqrtAlphaT;
        }

        ClipIfConfigured(x0);
        var denoised = new float[sample.Length];
        for (var i = 0; i < denoised.Length; i++)
        {
            denoised[i] = cOut * x0[i] + cSkip * sample[i];
        }

        var prev = denoised;
        if (index != NumInferenceSteps - 1)
        {
            var noise = (generator ?? new GaussianNoise(0)).Next(sample.Length);
            var signal = MathF.Sqrt(alphaPrev);
            var spread = MathF.Sqrt(1f - alphaPrev);
            prev = new float[sample.Length];
            for (var i = 0; i < prev.Length; i++)
            {
                prev[i] = signal * denoised[i] + spread * noise[i];
            }
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, denoised);
    }

    /// <summary>c_skip and c_out of the consistency-model boundary condition at the scaled timestep.</summary>
    private (float Skip, float Out) BoundaryScalings(int timestep)
    {
        var scaled = timestep * Config.TimestepScaling;
        var skip = SigmaData * SigmaData / (scaled * scaled + SigmaData * SigmaData);
        var output = scaled / Math.Sqrt(scaled * scaled + SigmaData * SigmaData);
        return ((float)skip, (float)output);
    }
}
