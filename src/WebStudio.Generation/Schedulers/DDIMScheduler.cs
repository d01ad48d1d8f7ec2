using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' DDIMScheduler (Song et al. 2020): deterministic at eta = 0; eta = 1 adds DDPM-sized noise.
/// </summary>
public sealed class DDIMScheduler : SchedulerBase
{
    private readonly float _finalAlphaCumprod;
    private readonly float _eta;

    public DDIMScheduler(SchedulerConfig config, float eta = 0f) : base(config)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eta);
        _eta = eta;
        _finalAlphaCumprod = config.SetAlphaToOne ? 1f : AlphasCumprod[0];
    }

    public override float InitNoiseSigma => 1f;

    public override float[] AddNoise(float[] originalSamples, float[] noise, float timestep) =>
        AddNoiseByAlpha(originalSamples, noise, timestep);

    protected override void BuildSchedule(int numInferenceSteps) =>
        Schedule = TimestepMath.Spaced(Config, numInferenceSteps, roundLinspace: true).Select(t => (float)t).ToArray();

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        var t = TrainIndex(timestep);
        var prevT = t - Config.NumTrainTimesteps / NumInferenceSteps;
        var alphaT = AlphasCumprod[t];
        var alphaPrev = prevT >= 0 ? AlphasCumprod[prevT] : _finalAlphaCumprod;
        var betaT = 1f - alphaT;
        var sqrtAlphaT = MathF.Sqrt(alphaT);
        var sqrtBetaT = MathF.Sqrt(betaT);

        var x0 = new float[sample.Length];
        var epsilon = new float[sample.Length];
        for (var i = 0; i < x0.Length; i++)
        {
            if (Config.IsVPrediction)
            {
                x0[i] = sqrtAlphaT * sample[i] - sqrtBetaT * modelOutput[i];
                epsilon[i] = sqrtAlphaT * modelOutput[i] + sqrtBetaT * sample[i];
            }
            else
            {
                x0[i] = (sample[i] - sqrtBetaT * modelOutput[i]) / sqrtAlphaT;
                epsilon[i] = modelOutput[i];
            }
        }

        ClipIfConfigured(x0);
        var variance = (1f - alphaPrev) / betaT * (1f - alphaT / alphaPrev);
        var stdDev = _eta * MathF.Sqrt(variance);
        var direction = MathF.Sqrt(1f - alphaPrev - stdDev * stdDev);
        var sqrtAlphaPrev = MathF.Sqrt(alphaPrev);
        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] = sqrtAlphaPrev * x0[i] + direction * epsilon[i];
        }

        if (_eta > 0)
        {
            var noise = (generator ?? new GaussianNoise(0)).Next(prev.Length);
            for (var i = 0; i < prev.Length; i++)
            {
                prev[i] += stdDev * noise[i];
            }
        }

        return new SchedulerStepOutput(prev, x0);
    }
}
