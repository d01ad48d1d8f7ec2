using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' HeunDiscreteScheduler (Karras et al. 2022, Algorithm 1 with s_churn = 0), A1111's "Heun": an Euler step
/// to the next sigma, then the model asked again there and the two slopes averaged. Every timestep after the first is
/// visited twice, so n steps take 2n − 1 model evaluations, about twice Euler's time for a better step.
/// </summary>
public sealed class HeunDiscreteScheduler(SchedulerConfig config, bool? useKarrasSigmas = null)
    : SigmaSchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    // Between the two halves of a step: the Euler step's slope and the sample it started from.
    private float[]? _firstSlope;
    private float[]? _start;

    public override int Order => 2;

    protected override void BuildSchedule(int numInferenceSteps)
    {
        base.BuildSchedule(numInferenceSteps);
        // diffusers: timesteps [t0, t1, t1, t2, t2, …], sigmas [σ0, σ1, σ1, σ2, σ2, …, 0].
        Schedule = [Schedule[0], .. Schedule.Skip(1).SelectMany(t => new[] { t, t })];
        Sigmas = [Sigmas[0], .. Sigmas[1..^1].SelectMany(s => new[] { s, s }), Sigmas[^1]];
    }

    protected override void OnScheduleBuilt() => (_firstSlope, _start) = (null, null);

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var prev = new float[sample.Length];
        if (_firstSlope is not { } firstSlope || _start is not { } start)
        {
            var (sigma, next) = (Sigmas[index], Sigmas[index + 1]);
            var x0 = ClipIfConfigured(PredictOriginal(modelOutput, sample, sigma));
            var slope = new float[sample.Length];
            var dt = next - sigma;
            for (var i = 0; i < prev.Length; i++)
            {
                slope[i] = (sample[i] - x0[i]) / sigma;
                prev[i] = sample[i] + slope[i] * dt;
            }

            (_firstSlope, _start) = (slope, (float[])sample.Clone());
            StepIndex = index + 1;
            return new SchedulerStepOutput(prev, x0);
        }

        // The correction: the model's slope at the Euler step's end, averaged with the first, from the same start and
        // over the same step (the entry before holds the sigma it started at).
        var reached = Sigmas[index];
        var stepSize = reached - Sigmas[index - 1];
        var corrected = ClipIfConfigured(PredictOriginal(modelOutput, sample, reached));
        for (var i = 0; i < prev.Length; i++)
        {
            var slope = (firstSlope[i] + (sample[i] - corrected[i]) / reached) / 2f;
            prev[i] = start[i] + slope * stepSize;
        }

        (_firstSlope, _start) = (null, null);
        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, corrected);
    }
}
