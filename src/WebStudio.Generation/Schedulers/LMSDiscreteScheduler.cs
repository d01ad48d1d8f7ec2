using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Schedulers;

/// <summary>
/// diffusers' LMSDiscreteScheduler: a linear multistep method over the sigma schedule that combines up to
/// the last four derivatives, weighted by integrals of their Lagrange basis polynomials.
/// </summary>
public sealed class LMSDiscreteScheduler(SchedulerConfig config, int order = 4, bool? useKarrasSigmas = null)
    : SigmaSchedulerBase(config, useKarrasSigmas ?? config.UseKarrasSigmas)
{
    private readonly List<float[]> _derivatives = [];

    protected override void OnScheduleBuilt() => _derivatives.Clear();

    protected override SchedulerStepOutput StepCore(float[] modelOutput, float timestep, float[] sample, INoiseSource? generator)
    {
        InitStepIndex(timestep);
        var index = StepIndex!.Value;
        var sigma = Sigmas[index];
        var x0 = PredictOriginal(modelOutput, sample, sigma);
        var derivative = new float[sample.Length];
        for (var i = 0; i < derivative.Length; i++)
        {
            derivative[i] = (sample[i] - x0[i]) / sigma;
        }

        _derivatives.Add(derivative);
        if (_derivatives.Count > order)
        {
            _derivatives.RemoveAt(0);
        }

        // As in diffusers, the order follows the step index, but only as many past derivatives as exist are used
        // (zip truncates): img2img, which starts part-way, begins with a single term.
        var used = Math.Min(index + 1, order);
        var update = new float[sample.Length];
        for (var k = 0; k < Math.Min(used, _derivatives.Count); k++)
        {
            // Coefficient k weights the derivative from k steps back.
            var coefficient = (float)Coefficient(used, index, k);
            var past = _derivatives[_derivatives.Count - 1 - k];
            for (var i = 0; i < update.Length; i++)
            {
                update[i] += coefficient * past[i];
            }
        }

        var prev = new float[sample.Length];
        for (var i = 0; i < prev.Length; i++)
        {
            prev[i] = sample[i] + update[i];
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private double Coefficient(int usedOrder, int t, int current)
    {
        double Basis(double tau)
        {
            var product = 1.0;
            for (var k = 0; k < usedOrder; k++)
            {
                if (k != current)
                {
                    product *= (tau - Sigmas[t - k]) / ((double)Sigmas[t - current] - Sigmas[t - k]);
                }
            }

            return product;
        }

        return GaussLegendre.Integrate(Basis, Sigmas[t], Sigmas[t + 1]);
    }
}
