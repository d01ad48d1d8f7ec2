using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' EulerAncestralDiscreteScheduler: an Euler step down to σ_down, then fresh noise of size σ_up,
/// so each step forgets part of the previous noise (the A1111 "Euler a" sampler). On Karras sigmas it is k-diffusion's
/// sample_euler_ancestral on get_sigmas_karras, as A1111 runs "Euler a" with the Karras schedule type (diffusers' own
/// Euler ancestral has no Karras option).
/// </summary>
public sealed class EulerAncestralDiscreteScheduler(SchedulerConfig config, bool useKarrasSigmas = false)
    : SigmaSchedulerBase(config, useKarrasSigmas)
{
    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var sigmaFrom = Sigmas[index];
        var sigmaTo = Sigmas[index + 1];
        var x0 = PredictOriginal(modelOutput, sample, sigmaFrom);
        var (sigmaDown, sigmaUp) = AncestralStep(sigmaFrom, sigmaTo);
        var dt = sigmaDown - sigmaFrom;
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var derivative = (sample[i] - x0[i]) / sigmaFrom;
            prev[i] = sample[i] + derivative * dt;
        }

        // Without a generator the step has nothing to draw from; a fixed seed keeps it reproducible.
        var noise = (generator ?? new GaussianNoise(0)).Next(prev.Length);
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] += noise[i] * sigmaUp;
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
