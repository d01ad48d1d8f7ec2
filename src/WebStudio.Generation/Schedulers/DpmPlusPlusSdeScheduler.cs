using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' DPMSolverSDEScheduler (k-diffusion's sample_dpmpp_sde, η = 1, r = ½), A1111's "DPM++ SDE": DPM-Solver++(2S)
/// steps with noise on the way. Each step asks the model at σ_k and at the midpoint √(σ_k·σ_k+1); both halves take
/// DPM-Solver++ steps down to their ancestral σ_down and add noise of σ_up, the first towards the midpoint, the second
/// to σ_k+1. Their noises are the increments of one Brownian path over [σ_k+1, σ_k], as torchsde's Brownian tree gives
/// them: the whole step's increment, and the bridge from it to the midpoint. The last step is Euler's, to σ = 0.
/// </summary>
public sealed class DpmPlusPlusSdeScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : KDpm2SchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    // The whole step's increment, drawn in the first half and added, scaled, in the second.
    private float[]? _wholeStep;

    protected override bool RoundsKarrasTimesteps => false;

    // The last step, to 0, has its midpoint, end and noise at 0.
    protected override (float Mid, float To, float Up) PlanStep(float[] sigmas, int k)
    {
        var (down, up) = AncestralStep(sigmas[k], sigmas[k + 1]);
        return (LogMidpoint(sigmas[k], sigmas[k + 1]), down, up);
    }

    protected override (float Down, float Up) MidpointLanding(float from, float mid) => AncestralStep(from, mid);

    protected override void SecondHalf(float[] start, float[] atMid, float[] x0, float from, float mid, float to, float[] prev) =>
        DataStep(start, x0, from, to, prev);

    /// <summary>Brownian increments, each divided by the square root of its length as k-diffusion's noise sampler does:
    /// ζ for W(σ_k+1) − W(σ_k), and ρ·ζ + √(1 − ρ²)·z for W(mid) − W(σ_k), ρ = √((σ_k − mid)/(σ_k − σ_k+1)).</summary>
    protected override float[] DrawNoise(float from, float mid, float next, bool firstHalf, int count, INoiseSource generator)
    {
        if (!firstHalf)
        {
            var whole = _wholeStep ?? generator.Next(count);
            _wholeStep = null;
            return whole;
        }

        _wholeStep = generator.Next(count);
        var bridge = generator.Next(count);
        var rho = MathF.Sqrt((from - mid) / (from - next));
        var rest = MathF.Sqrt(1f - rho * rho);
        var noise = new float[count];
        for (var i = 0; i < count; i++)
        {
            noise[i] = rho * _wholeStep[i] + rest * bridge[i];
        }

        return noise;
    }

    protected override void OnScheduleBuilt()
    {
        base.OnScheduleBuilt();
        _wholeStep = null;
    }
}
