using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' EulerDiscreteScheduler (Karras et al. 2022, Algorithm 2) with s_churn = 0: one deterministic
/// Euler step along dx/dσ = (x − x0)/σ per schedule entry.
/// </summary>
public sealed class EulerDiscreteScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : SigmaSchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var sigma = Sigmas[index];
        var x0 = PredictOriginal(modelOutput, sample, sigma);
        var dt = Sigmas[index + 1] - sigma;
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var derivative = (sample[i] - x0[i]) / sigma;
            prev[i] = sample[i] + derivative * dt;
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
