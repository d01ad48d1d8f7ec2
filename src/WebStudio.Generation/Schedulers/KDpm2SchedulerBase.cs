using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' KDPM2 schedulers (k-diffusion's sample_dpm_2 and sample_dpm_2_ancestral; A1111's "DPM2" and "DPM2 a"),
/// k-diffusion's sample_dpmpp_2s_ancestral ("DPM++ 2S a") and diffusers' DPMSolverSDEScheduler ("DPM++ SDE"): each step
/// k from σ_k asks the model twice, first at σ_k for an Euler step to a midpoint, then at the midpoint for the prediction
/// that takes the step from σ_k to its end. The midpoint, the end, the noise on the way and the second half's formula are
/// each subclass's own. The last step goes to σ = 0 at once (its midpoint is 0), so n steps take 2n − 1 model
/// evaluations, in the schedule [t₀, t(mid₀), t₁, t(mid₁), …, tₙ₋₁].
/// </summary>
public abstract class KDpm2SchedulerBase(SchedulerConfig config, bool useKarrasSigmas)
    : SigmaSchedulerBase(config, useKarrasSigmas)
{
    // Per step k: σ_k and σ_k+1, the midpoint where the model is asked the second time, the step's end and the noise
    // added there, and where the first half lands and the noise it adds.
    private float[] _from = [];
    private float[] _next = [];
    private float[] _mid = [];
    private float[] _to = [];
    private float[] _up = [];
    private float[] _midDown = [];
    private float[] _midUp = [];

    // Between the two halves of a step: the sample the step started from.
    private float[]? _start;

    public override int Order => 2;

    /// <summary>Step k's midpoint, end and noise, from the step sigmas <paramref name="sigmas"/> (σ₀ … σₙ₋₁, then 0).</summary>
    protected abstract (float Mid, float To, float Up) PlanStep(float[] sigmas, int k);

    /// <summary>Where the Euler half from <paramref name="from"/> lands, and the noise it adds there, so that the sample
    /// is at the noise level <paramref name="mid"/> where the model is asked next. DPM2: on the midpoint, with no noise.</summary>
    protected virtual (float Down, float Up) MidpointLanding(float from, float mid) => (mid, 0f);

    /// <summary>The standard normal noise for the first half (<paramref name="firstHalf"/>) or the second of the step from
    /// <paramref name="from"/> by <paramref name="mid"/> to <paramref name="next"/>: by default a fresh draw each time.</summary>
    protected virtual float[] DrawNoise(float from, float mid, float next, bool firstHalf, int count, INoiseSource generator) =>
        generator.Next(count);

    /// <summary>diffusers' KDPM2 rounds the Karras sigmas' step timesteps to whole ones; DPMSolverSDE keeps them fractional.</summary>
    protected virtual bool RoundsKarrasTimesteps => true;

    /// <summary>The second half of a step, from <paramref name="start"/> at <paramref name="from"/> to <paramref name="to"/>,
    /// with the model's clean sample <paramref name="x0"/> at the midpoint <paramref name="mid"/>, where the Euler half
    /// had taken the sample to <paramref name="atMid"/>. DPM2: along the slope at the midpoint.</summary>
    protected virtual void SecondHalf(float[] start, float[] atMid, float[] x0, float from, float mid, float to, float[] prev)
    {
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] = start[i] + (atMid[i] - x0[i]) / mid * (to - from);
        }
    }

    /// <summary>DPM-Solver++'s first-order step in log-sigma, from <paramref name="start"/> at <paramref name="from"/> to
    /// <paramref name="to"/> by the clean sample <paramref name="x0"/>: x = (σ_to/σ_from)·x_start + (1 − σ_to/σ_from)·x̂₀.</summary>
    protected static void DataStep(float[] start, float[] x0, float from, float to, float[] prev)
    {
        var keep = to / from;
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] = keep * start[i] + (1f - keep) * x0[i];
        }
    }

    protected override void BuildSchedule(int numInferenceSteps)
    {
        base.BuildSchedule(numInferenceSteps);
        var sigmas = Sigmas;
        var timesteps = UseKarrasSigmas && RoundsKarrasTimesteps ? Schedule.Select(t => MathF.Round(t)).ToArray() : Schedule;
        var steps = timesteps.Length;
        var plans = Enumerable.Range(0, steps).Select(k => PlanStep(sigmas, k)).ToArray();
        (_from, _next) = (sigmas[..steps], sigmas[1..(steps + 1)]);
        (_mid, _to, _up) = ([.. plans.Select(p => p.Mid)], [.. plans.Select(p => p.To)], [.. plans.Select(p => p.Up)]);
        var landings = Enumerable.Range(0, steps).Select(k => MidpointLanding(_from[k], _mid[k])).ToArray();
        (_midDown, _midUp) = ([.. landings.Select(l => l.Down)], [.. landings.Select(l => l.Up)]);

        // diffusers' timesteps_interpol: the training timestep of each midpoint, kept as float32.
        var logSigmas = TrainSigmas.Select(s => MathF.Log(s)).ToArray();
        Schedule = [.. Enumerable.Range(0, steps).SelectMany(k => k == steps - 1
            ? new[] { timesteps[k] }
            : [timesteps[k], (float)TimestepMath.SigmaToT(_mid[k], logSigmas)])];

        // As diffusers lays them out for add_noise: entry 2k starts step k at σ_k, entry 2k + 1 is noised to σ_k+1.
        Sigmas = [sigmas[0], .. sigmas[1..^1].SelectMany(s => new[] { s, s }), sigmas[^1]];
    }

    protected override void OnScheduleBuilt() => _start = null;

    // The Euler half asks the model at σ_k, the second half at the step's midpoint.
    protected override float InputSigma(int index) => _start is null ? _from[index / 2] : _mid[index / 2];

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var k = index / 2;
        var prev = new float[sample.Length];
        float[] x0;
        if (_start is not { } start)
        {
            // The Euler half: from σ_k towards the midpoint, along the slope at σ_k.
            x0 = PredictOriginal(modelOutput, sample, _from[k]);
            var dt = _midDown[k] - _from[k];
            for (var i = 0; i < prev.Length; i++)
            {
                prev[i] = sample[i] + (sample[i] - x0[i]) / _from[k] * dt;
            }

            AddNoise(prev, _midUp[k], k, firstHalf: true, generator);

            _start = (float[])sample.Clone();
        }
        else
        {
            // The whole step from σ_k, by the model's prediction at the midpoint.
            x0 = PredictOriginal(modelOutput, sample, _mid[k]);
            SecondHalf(start, sample, x0, _from[k], _mid[k], _to[k], prev);
            AddNoise(prev, _up[k], k, firstHalf: false, generator);
            _start = null;
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private void AddNoise(float[] prev, float scale, int k, bool firstHalf, INoiseSource? generator)
    {
        if (scale <= 0f)
        {
            return;
        }

        // Without a generator the step has nothing to draw from; a fixed seed keeps it reproducible.
        var noise = DrawNoise(_from[k], _mid[k], _next[k], firstHalf, prev.Length, generator ?? new GaussianNoise(0));
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] += noise[i] * scale;
        }
    }
}
