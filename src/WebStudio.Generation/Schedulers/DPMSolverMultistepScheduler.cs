using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' DPMSolverMultistepScheduler as A1111's "DPM++ 2M": algorithm dpmsolver++, solver order 2,
/// midpoint solver type; with <c>stochastic</c>, "DPM++ 2M SDE" (algorithm sde-dpmsolver++), whose every step adds
/// fresh noise in the share the SDE gives it (σ_t·√(1 − e^(−2h))), as ancestral samplers do; with <c>heunSolver</c> as
/// well, "DPM++ 2M SDE Heun" (solver type heun, k-diffusion's solver_type='heun'). By default the schedule ends at sigma zero (final_sigmas_type "zero"), which makes
/// diffusers take the last step at first order; ending at the smallest training sigma ("sigma_min") instead leaves
/// that choice to lower_order_final (first order at the end only for schedules under 15 steps).
/// </summary>
public sealed class DPMSolverMultistepScheduler : MultistepSolverBase
{
    private const int SolverOrder = 2;
    private readonly bool _stochastic;
    private readonly bool _heunSolver;
    private readonly bool _lowerOrderFinal;
    private readonly float[]?[] _modelOutputs = new float[SolverOrder][];
    private int _lowerOrderNums;

    public DPMSolverMultistepScheduler(SchedulerConfig config, bool? useKarrasSigmas = null, bool finalSigmaZero = true, bool lowerOrderFinal = true,
        bool stochastic = false, bool exponentialSigmas = false, bool heunSolver = false)
        : base(config, useKarrasSigmas, finalSigmaZero, exponentialSigmas)
    {
        if (heunSolver && !stochastic)
        {
            throw new ArgumentException("The Heun solver type is offered with the SDE (DPM++ 2M SDE Heun) only.", nameof(heunSolver));
        }

        _stochastic = stochastic;
        _heunSolver = heunSolver;
        _lowerOrderFinal = lowerOrderFinal;
    }

    protected override void ResetHistory()
    {
        Array.Clear(_modelOutputs);
        _lowerOrderNums = 0;
    }

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        var index = CurrentIndex(timestep);
        var firstOrderFinal = index == Schedule.Length - 1 && (FinalSigmaZero || _lowerOrderFinal && Schedule.Length < 15);

        var x0 = DataPrediction(modelOutput, sample, Sigmas[index]);
        _modelOutputs[0] = _modelOutputs[1];
        _modelOutputs[1] = x0;

        // diffusers draws the SDE's noise at every step, the last (where its share is 0) too.
        var noise = _stochastic ? (generator ?? new GaussianNoise(0)).Next(sample.Length) : null;

        // The first step has no history; the last is first order whenever it ends at sigma zero (infinite log-SNR).
        var prev = _lowerOrderNums < 1 || firstOrderFinal
            ? FirstOrderUpdate(x0, sample, index, noise)
            : SecondOrderUpdate(sample, index, noise);
        if (_lowerOrderNums < SolverOrder)
        {
            _lowerOrderNums++;
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private float[] FirstOrderUpdate(float[] x0, float[] sample, int index, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[index + 1]);
        var (_, sigmaS) = AlphaSigma(Sigmas[index]);
        var h = Lambda(index + 1) - Lambda(index);
        if (noise is not null)
        {
            return Stochastic(sample, sigmaT / sigmaS, alphaT, sigmaT, h, x0, null, noise, _heunSolver);
        }

        var sampleCoeff = (float)(sigmaT / sigmaS);
        var x0Coeff = (float)(alphaT * (Math.Exp(-h) - 1.0));
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] = sampleCoeff * sample[i] - x0Coeff * x0[i];
        }

        return prev;
    }

    private float[] SecondOrderUpdate(float[] sample, int index, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[index + 1]);
        var (_, sigmaS0) = AlphaSigma(Sigmas[index]);
        var h = Lambda(index + 1) - Lambda(index);
        var r0 = (Lambda(index) - Lambda(index - 1)) / h;
        var sampleCoeff = (float)(sigmaT / sigmaS0);
        var d0Coeff = (float)(alphaT * (Math.Exp(-h) - 1.0));
        var m0 = _modelOutputs[1]!;
        var m1 = _modelOutputs[0]!;
        if (noise is not null)
        {
            return Stochastic(sample, sigmaT / sigmaS0, alphaT, sigmaT, h, m0, (m1, r0), noise, _heunSolver);
        }

        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var d1 = (float)(1.0 / r0) * (m0[i] - m1[i]);
            prev[i] = sampleCoeff * sample[i] - d0Coeff * m0[i] - 0.5f * d0Coeff * d1;
        }

        return prev;
    }

    // sde-dpmsolver++'s update: x_t = (σ_t/σ_s)·e^(−h)·x + α_t·(1 − e^(−2h))·D0 + c·D1 + σ_t·√(1 − e^(−2h))·z, where
    // D0 is the newest data prediction and D1 = (D0 − the one before)/r0 at second order, 0 at first; c is
    // α_t·(1 − e^(−2h))/2 for the midpoint solver type, α_t·((1 − e^(−2h))/(−2h) + 1) for Heun's.
    private static float[] Stochastic(float[] sample, double sigmaRatio, double alphaT, double sigmaT, double h, float[] d0,
        (float[] Before, double R0)? secondOrder, float[] noise, bool heun)
    {
        var sampleCoeff = (float)(sigmaRatio * Math.Exp(-h));
        var dataCoeff = (float)(alphaT * (1.0 - Math.Exp(-2.0 * h)));
        var d1Coeff = (float)(heun ? alphaT * (-double.ExpM1(-2.0 * h) / (-2.0 * h) + 1.0) : 0.5 * dataCoeff);
        var noiseCoeff = (float)(sigmaT * Math.Sqrt(1.0 - Math.Exp(-2.0 * h)));
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var d1 = secondOrder is var (before, r0) ? (float)(1.0 / r0) * (d0[i] - before[i]) : 0f;
            prev[i] = sampleCoeff * sample[i] + dataCoeff * d0[i] + d1Coeff * d1 + noiseCoeff * noise[i];
        }

        return prev;
    }
}
