using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' UniPCMultistepScheduler in its default configuration, as A1111's "UniPC": the unified predictor
/// UniP and corrector UniC of Zhao et al. (2023) on the data prediction, solver order 2, B(h) = e^h − 1 ("bh2"), the
/// last step at first order. Each step first corrects the sample the previous step predicted, with the model output
/// just computed at it (a gain of one order at no extra model call), then predicts the next one.
/// </summary>
public sealed class UniPCMultistepScheduler : MultistepSolverBase
{
    private const int SolverOrder = 2;

    // The data predictions of the last two steps: [0] the older, [1] the newer.
    private readonly float[]?[] _modelOutputs = new float[SolverOrder][];
    private float[]? _lastSample;
    private int _thisOrder;
    private int _lowerOrderNums;

    public UniPCMultistepScheduler(SchedulerConfig config, bool? useKarrasSigmas = null, bool finalSigmaZero = true)
        : base(config, useKarrasSigmas, finalSigmaZero)
    {
    }

    protected override void ResetHistory()
    {
        Array.Clear(_modelOutputs);
        _lastSample = null;
        _thisOrder = 0;
        _lowerOrderNums = 0;
    }

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        var index = CurrentIndex(timestep);
        var x0 = DataPrediction(modelOutput, sample, Sigmas[index]);
        if (index > 0 && _lastSample is not null)
        {
            sample = Correct(x0, _lastSample, sample, _thisOrder, index);
        }

        _modelOutputs[0] = _modelOutputs[1];
        _modelOutputs[1] = x0;

        // lower_order_final: the last step is first order (at sigma zero a second-order term is undefined); the
        // first has no history to be second order with.
        _thisOrder = Math.Min(Math.Min(SolverOrder, Schedule.Length - index), _lowerOrderNums + 1);
        _lastSample = sample;
        var prev = Predict(sample, _thisOrder, index);
        if (_lowerOrderNums < SolverOrder)
        {
            _lowerOrderNums++;
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    /// <summary>UniP-p (multistep_uni_p_bh_update): from entry <paramref name="index"/> to the next.</summary>
    private float[] Predict(float[] sample, int order, int index)
    {
        var step = new Interval(this, index, index + 1);
        var m0 = _modelOutputs[1]!;
        var m1 = order == 2 ? _modelOutputs[0]! : null;
        // At order 2 diffusers takes ρ = 1/2 outright for the one difference.
        var rk = order == 2 ? (Lambda(index - 1) - Lambda(index)) / step.H : 1;
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var value = step.Exponential(sample[i], m0[i]);
            if (m1 is not null)
            {
                value -= step.AlphaT * step.Bh * 0.5 * (m1[i] - m0[i]) / rk;
            }

            prev[i] = (float)value;
        }

        return prev;
    }

    /// <summary>
    /// UniC-p (multistep_uni_c_bh_update): redoes the step from entry <paramref name="index"/> − 1 that predicted
    /// <paramref name="predicted"/>, now that the model's data prediction <paramref name="x0"/> there is known.
    /// </summary>
    private float[] Correct(float[] x0, float[] lastSample, float[] predicted, int order, int index)
    {
        var step = new Interval(this, index - 1, index);
        var m0 = _modelOutputs[1]!;
        var m1 = order == 2 ? _modelOutputs[0]! : null;
        double rhoHistory = 0, rhoNew = 0.5, rk = 1;
        if (m1 is not null)
        {
            // Solve [[1, 1], [r_k, 1]]·ρ = b, with b_k = k!·φ_{k+1}(hh)/B(h) as diffusers builds it.
            rk = (Lambda(index - 2) - Lambda(index - 1)) / step.H;
            var (b1, b2) = step.B();
            rhoHistory = (b1 - b2) / (1 - rk);
            rhoNew = b1 - rhoHistory;
        }

        var corrected = new float[predicted.Length];
        for (var i = 0; i < corrected.Length; i++)
        {
            var history = m1 is null ? 0 : rhoHistory * (m1[i] - m0[i]) / rk;
            var value = step.Exponential(lastSample[i], m0[i]) - step.AlphaT * step.Bh * (history + rhoNew * (x0[i] - m0[i]));
            corrected[i] = (float)value;
        }

        return corrected;
    }

    /// <summary>One step of the schedule from entry s to entry t, in UniPC's terms for the data prediction (hh = −h).</summary>
    private readonly struct Interval
    {
        public Interval(UniPCMultistepScheduler scheduler, int s, int t)
        {
            H = scheduler.Lambda(t) - scheduler.Lambda(s);
            (AlphaT, SigmaT) = AlphaSigma(scheduler.Sigmas[t]);
            SigmaS = AlphaSigma(scheduler.Sigmas[s]).Sigma;
            HPhi1 = Math.Exp(-H) - 1;
        }

        public double H { get; }

        public double AlphaT { get; }

        public double SigmaT { get; }

        public double SigmaS { get; }

        /// <summary>h·φ₁ = e^hh − 1.</summary>
        public double HPhi1 { get; }

        /// <summary>B(h) of the "bh2" variant: e^hh − 1.</summary>
        public double Bh => HPhi1;

        /// <summary>The first-order (DDIM-like) part every update starts from: σ_t/σ_s·x − α_t·hφ₁·m0.</summary>
        public double Exponential(double x, double m0) => SigmaT / SigmaS * x - AlphaT * HPhi1 * m0;

        /// <summary>The right-hand side b of UniC-2's linear system.</summary>
        public (double B1, double B2) B()
        {
            var hh = -H;
            var hPhiK = HPhi1 / hh - 1;
            var b1 = hPhiK / Bh;
            hPhiK = hPhiK / hh - 0.5;
            return (b1, hPhiK * 2 / Bh);
        }
    }
}
