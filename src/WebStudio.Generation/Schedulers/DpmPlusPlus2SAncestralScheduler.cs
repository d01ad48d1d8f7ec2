namespace WebStudio.Generation.Schedulers;

/// <summary>
/// k-diffusion's sample_dpmpp_2s_ancestral, A1111's "DPM++ 2S a": DPM-Solver++(2S) steps in log-sigma, each down to
/// σ_down, then fresh noise of σ_up, as Euler a and DPM2 a do. Its first half, a first-order step to the midpoint
/// √(σ_k·σ_down), is DPM2 a's Euler half; the second takes the whole step as x = (σ_down/σ_k)·x_k + (1 − σ_down/σ_k)·x̂₀
/// with the model's clean sample x̂₀ at the midpoint. diffusers has no such scheduler.
/// </summary>
public sealed class DpmPlusPlus2SAncestralScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : KDpm2SchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    protected override (float Mid, float To, float Up) PlanStep(float[] sigmas, int k) => KDpm2AncestralDiscreteScheduler.AncestralPlan(sigmas, k);

    protected override void SecondHalf(float[] start, float[] atMid, float[] x0, float from, float mid, float to, float[] prev) =>
        DataStep(start, x0, from, to, prev);
}
