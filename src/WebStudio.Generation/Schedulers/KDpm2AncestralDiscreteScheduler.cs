namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' KDPM2AncestralDiscreteScheduler (k-diffusion's sample_dpm_2_ancestral), A1111's "DPM2 a": as Euler a
/// does, each step goes down to σ_down and adds fresh noise of σ_up; the second evaluation is at the geometric mean
/// of σ_k and σ_down. The last step lands on 0 with no noise.
/// </summary>
public sealed class KDpm2AncestralDiscreteScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : KDpm2SchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    protected override (float Mid, float To, float Up) PlanStep(float[] sigmas, int k) => AncestralPlan(sigmas, k);

    /// <summary>k-diffusion's get_ancestral_step (η = 1): the step ends at σ_down and adds noise of σ_up; the midpoint
    /// is the geometric mean of σ_k and σ_down, where both DPM2 a and DPM++ 2S a ask the model the second time.</summary>
    internal static (float Mid, float To, float Up) AncestralPlan(float[] sigmas, int k)
    {
        var (sigma, next) = (sigmas[k], sigmas[k + 1]);
        var (down, up) = AncestralStep(sigma, next);
        var last = k == sigmas.Length - 2;
        return last ? (0f, 0f, 0f) : (LogMidpoint(sigma, down), down, up);
    }
}
