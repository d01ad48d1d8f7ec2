using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' PNDMScheduler (Liu et al. 2022): Runge–Kutta warm-up steps (PRK) then a fourth-order linear
/// multistep method (PLMS). Stable Diffusion pipelines skip the PRK part (skip_prk_steps).
/// The constructor's <c>maxPlmsOrder</c> caps the multistep's order: 4 is diffusers' PNDM; the studio's "PLMS" uses
/// <see cref="GuidedPlmsOrder"/>.
/// </summary>
public sealed class PNDMScheduler : SchedulerBase
{
    private const int PndmOrder = 4;

    /// <summary>
    /// The multistep order the studio's PLMS runs at. The fourth-order Adams–Bashforth extrapolation of the guided
    /// noise (55ε₀ − 59ε₁ + 37ε₂ − 9ε₃)/24 has the smallest stability region of the family (the real axis down to
    /// −0.3, against −1 for the second order), and classifier-free guidance multiplies how fast ε changes: on the
    /// built-in model at CFG 7 the extrapolated ε grew step after step (RMS 1.0 → 11) into an orange-and-blue blob.
    /// DPM-Solver++ (Lu et al. 2022) recommends order 2 for guided sampling for the same reason.
    /// </summary>
    public const int GuidedPlmsOrder = 2;

    private readonly int _maxPlmsOrder;
    private readonly List<float[]> _ets = [];
    private int _prkCount;
    private int _counter;
    private float[]? _curModelOutput;
    private float[]? _curSample;

    public PNDMScheduler(SchedulerConfig config, int maxPlmsOrder = PndmOrder) : base(config)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPlmsOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPlmsOrder, PndmOrder);
        _maxPlmsOrder = maxPlmsOrder;
        if (config.RescaleBetasZeroSnr)
        {
            // PNDM divides by ᾱ_t; like diffusers' Euler, keep a zero-SNR final timestep just above zero.
            AlphasCumprod[^1] = MathF.Pow(2, -24);
        }
    }

    public override float InitNoiseSigma => 1f;

    private float FinalAlphaCumprod => Config.SetAlphaToOne ? 1f : AlphasCumprod[0];

    public override float[] AddNoise(float[] originalSamples, float[] noise, float timestep) =>
        AddNoiseByAlpha(originalSamples, noise, timestep);

    protected override void BuildSchedule(int numInferenceSteps)
    {
        if (!Config.SkipPrkSteps && numInferenceSteps < PndmOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps,
                $"PNDM with PRK steps needs at least {PndmOrder} steps (set skip_prk_steps to allow fewer).");
        }

        var spaced = TimestepMath.Spaced(Config, numInferenceSteps, roundLinspace: true);
        var ascending = spaced.Reverse().Select(t => (int)t).ToArray();
        List<int> prk = [];
        List<int> plms = [];
        if (Config.SkipPrkSteps)
        {
            // The second timestep repeats: PLMS's first two evaluations form one improved Euler (Heun) step.
            plms.AddRange(ascending[..^1]);
            plms.AddRange(ascending.Length >= 2 ? [ascending[^2], ascending[^1]] : [ascending[^1]]);
            plms.Reverse();
        }
        else
        {
            var half = Config.NumTrainTimesteps / numInferenceSteps / 2;
            var last = ascending[^PndmOrder..];
            var pairs = last.SelectMany(t => new[] { t, t + half }).ToArray();
            var doubled = pairs[..^1].SelectMany(t => new[] { t, t }).ToArray();
            prk.AddRange(doubled[1..^1]);
            prk.Reverse();
            plms.AddRange(ascending[..^3]);
            plms.Reverse();
        }

        _prkCount = prk.Count;
        Schedule = [.. prk.Concat(plms).Select(t => (float)t)];
        _ets.Clear();
        _counter = 0;
        _curModelOutput = null;
        _curSample = null;
    }

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator) =>
        _counter < _prkCount && !Config.SkipPrkSteps
            ? StepPrk(modelOutput, TrainIndex(timestep), sample)
            : StepPlms(modelOutput, TrainIndex(timestep), sample);

    private SchedulerStepOutput StepPrk(float[] modelOutput, int timestep, float[] sample)
    {
        var ratio = Config.NumTrainTimesteps / NumInferenceSteps;
        var prevTimestep = timestep - (_counter % 2 == 1 ? 0 : ratio / 2);
        timestep = (int)Schedule[_counter / 4 * 4];
        var output = modelOutput;
        switch (_counter % 4)
        {
            case 0:
                _curModelOutput = Scaled(modelOutput, 1f / 6f, null);
                _ets.Add(modelOutput);
                _curSample = sample;
                break;
            case 1:
            case 2:
                _curModelOutput = Scaled(modelOutput, 1f / 3f, _curModelOutput);
                break;
            default:
                output = Scaled(modelOutput, 1f / 6f, _curModelOutput);
                _curModelOutput = null;
                break;
        }

        var result = PreviousSample(_curSample ?? sample, timestep, prevTimestep, output);
        _counter++;
        return result;
    }

    private SchedulerStepOutput StepPlms(float[] modelOutput, int timestep, float[] sample)
    {
        var ratio = Config.NumTrainTimesteps / NumInferenceSteps;
        var prevTimestep = timestep - ratio;
        if (_counter != 1)
        {
            if (_ets.Count > 3)
            {
                _ets.RemoveRange(0, _ets.Count - 3);
            }

            _ets.Add(modelOutput);
        }
        else
        {
            prevTimestep = timestep;
            timestep += ratio;
        }

        // Past the pseudo-Heun start, the history used is at most the order allowed.
        var history = Math.Min(_ets.Count, _maxPlmsOrder);
        float[] combined;
        if (_ets.Count == 1 && _counter == 0)
        {
            combined = modelOutput;
            _curSample = sample;
        }
        else if (_ets.Count == 1 && _counter == 1)
        {
            combined = Combine(modelOutput, 0.5f, _ets[^1], 0.5f);
            sample = _curSample!;
            _curSample = null;
        }
        else if (history == 1)
        {
            combined = _ets[^1];
        }
        else if (history == 2)
        {
            combined = Combine(_ets[^1], 3f, _ets[^2], -1f, divisor: 2f);
        }
        else if (history == 3)
        {
            combined = Combine(_ets[^1], 23f, _ets[^2], -16f, _ets[^3], 5f, divisor: 12f);
        }
        else
        {
            combined = Combine(_ets[^1], 55f, _ets[^2], -59f, _ets[^3], 37f, _ets[^4], -9f, divisor: 24f);
        }

        var result = PreviousSample(sample, timestep, prevTimestep, combined);
        _counter++;
        return result;
    }

    /// <summary>PNDM's transfer φ(x_t, ε_t, t, t−δ) (eq. 9 of the paper); also yields x0 from the same ε.</summary>
    private SchedulerStepOutput PreviousSample(float[] sample, int timestep, int prevTimestep, float[] modelOutput)
    {
        var alphaT = AlphasCumprod[timestep];
        var alphaPrev = prevTimestep >= 0 ? AlphasCumprod[prevTimestep] : FinalAlphaCumprod;
        var betaT = 1f - alphaT;
        var betaPrev = 1f - alphaPrev;
        var sqrtAlphaT = MathF.Sqrt(alphaT);
        var sqrtBetaT = MathF.Sqrt(betaT);
        var sampleCoeff = MathF.Sqrt(alphaPrev / alphaT);
        var denominator = alphaT * MathF.Sqrt(betaPrev) + MathF.Sqrt(alphaT * betaT * alphaPrev);
        var prev = new float[sample.Length];
        var x0 = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var epsilon = Config.IsVPrediction ? sqrtAlphaT * modelOutput[i] + sqrtBetaT * sample[i] : modelOutput[i];
            prev[i] = sampleCoeff * sample[i] - (alphaPrev - alphaT) * epsilon / denominator;
            x0[i] = (sample[i] - sqrtBetaT * epsilon) / sqrtAlphaT;
        }

        return new SchedulerStepOutput(prev, x0);
    }

    private static float[] Scaled(float[] values, float scale, float[]? addTo)
    {
        var result = new float[values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (addTo?[i] ?? 0f) + scale * values[i];
        }

        return result;
    }

    private static float[] Combine(float[] a, float wa, float[] b, float wb, float divisor = 1f) =>
        Combine([a, b], [wa, wb], divisor);

    private static float[] Combine(float[] a, float wa, float[] b, float wb, float[] c, float wc, float divisor) =>
        Combine([a, b, c], [wa, wb, wc], divisor);

    private static float[] Combine(float[] a, float wa, float[] b, float wb, float[] c, float wc, float[] d, float wd, float divisor) =>
        Combine([a, b, c, d], [wa, wb, wc, wd], divisor);

    private static float[] Combine(float[][] terms, float[] weights, float divisor)
    {
        var result = new float[terms[0].Length];
        for (var i = 0; i < result.Length; i++)
        {
            var sum = 0f;
            for (var k = 0; k < terms.Length; k++)
            {
                sum += weights[k] * terms[k][i];
            }

            result[i] = sum / divisor;
        }

        return result;
    }
}
