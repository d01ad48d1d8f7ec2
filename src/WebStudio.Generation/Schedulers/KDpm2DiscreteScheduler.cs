namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' KDPM2DiscreteScheduler (DPM-Solver-2 as k-diffusion's sample_dpm_2 runs it), A1111's "DPM2": the second
/// evaluation at the geometric mean of σ_k and σ_k+1, and the step ends at σ_k+1.
/// </summary>
public sealed class KDpm2DiscreteScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : KDpm2SchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    protected override (float Mid, float To, float Up) PlanStep(float[] sigmas, int k) =>
        (LogMidpoint(sigmas[k], sigmas[k + 1]), sigmas[k + 1], 0f);
}
