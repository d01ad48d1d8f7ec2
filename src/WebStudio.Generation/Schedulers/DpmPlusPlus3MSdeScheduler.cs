using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// k-diffusion's sample_dpmpp_3m_sde (η = 1), A1111's "DPM++ 3M SDE", on diffusers' multistep schedule: each step is
/// DPM++ 2M SDE's first-order step (x = (σ_t/σ_s)·e^(−h)·x + α_t·(1 − e^(−2h))·D0 + σ_t·√(1 − e^(−2h))·z), corrected
/// by the last two data predictions: at third order once two are kept, at second (Heun's form, not 2M SDE's midpoint)
/// once one is. The last step lands on the data prediction. diffusers' own third-order SDE branch differs from
/// k-diffusion's in its D2 term, so k-diffusion's, which A1111 runs, is the one written here.
/// </summary>
public sealed class DpmPlusPlus3MSdeScheduler(SchedulerConfig config, bool? useKarrasSigmas = null, bool exponentialSigmas = false)
    : MultistepSolverBase(config, useKarrasSigmas, finalSigmaZero: true, exponentialSigmas)
{
    // The two data predictions before this step's, and the log-SNR steps that followed them.
    private float[]? _before;
    private float[]? _beforeThat;
    private double _hBefore;
    private double _hBeforeThat;

    protected override void ResetHistory() => (_before, _beforeThat) = (null, null);

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        var index = CurrentIndex(timestep);
        var x0 = DataPrediction(modelOutput, sample, Sigmas[index]);
        var prev = Sigmas[index + 1] == 0f ? (float[])x0.Clone() : Step(sample, x0, index, generator ?? new GaussianNoise(0));
        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private float[] Step(float[] sample, float[] x0, int index, INoiseSource generator)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[index + 1]);
        var (_, sigmaS) = AlphaSigma(Sigmas[index]);
        var h = Lambda(index + 1) - Lambda(index);
        var hEta = 2.0 * h;
        var phi1 = -double.ExpM1(-hEta);
        var phi2 = -phi1 / hEta + 1.0;
        var phi3 = phi2 / hEta - 0.5;
        var sampleCoeff = (float)(sigmaT / sigmaS * Math.Exp(-h));
        var noiseCoeff = (float)(sigmaT * Math.Sqrt(phi1));
        var noise = generator.Next(sample.Length);
        var (r0, r1) = (_hBefore / h, _hBeforeThat / h);
        var (before, beforeThat) = (_before, _beforeThat);
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            var correction = 0.0;
            if (beforeThat is not null)
            {
                // Third order, from the last two data predictions.
                var d10 = (x0[i] - before![i]) / r0;
                var d11 = (before[i] - beforeThat[i]) / r1;
                var d1 = d10 + (d10 - d11) * r0 / (r0 + r1);
                var d2 = (d10 - d11) / (r0 + r1);
                correction = phi2 * d1 - phi3 * d2;
            }
            else if (before is not null)
            {
                // Second order, in Heun's form.
                correction = phi2 * (x0[i] - before[i]) / r0;
            }

            prev[i] = sampleCoeff * sample[i] + (float)(alphaT * (phi1 * x0[i] + correction)) + noiseCoeff * noise[i];
        }

        (_beforeThat, _before) = (_before, x0);
        (_hBeforeThat, _hBefore) = (_hBefore, h);
        return prev;
    }
}
