namespace WebStudio.Studio.Queue;

/// <summary>
/// How long queued work takes, for the queue's ETAs: per model, the milliseconds of one step of one image per pixel
/// (the usage report's step-pixels), measured over that model's last finished jobs. A job is estimated at steps ×
/// images × width × height × its model's rate, so a model at the size it usually runs at is estimated by its own
/// recent jobs, and another size in proportion to its pixels. One rate for every model would estimate an SDXL job
/// at 1024² by the last tiny jobs at 128², a hundred times too short.
/// </summary>
/// <param name="MsPerStepPixel">Each measured model's rate.</param>
/// <param name="Fallback">The rate of a model with no finished job yet: the measured models' jobs pooled, or
/// <see cref="DefaultRate"/> where none has finished.</param>
public sealed record WorkRates(IReadOnlyDictionary<string, double> MsPerStepPixel, double Fallback)
{
    /// <summary>How many of a model's last finished jobs its rate is measured over.</summary>
    public const int History = 20;

    /// <summary>With nothing measured: 100 ms a step for a 512² image.</summary>
    public const double DefaultRate = 100.0 / (512 * 512);

    public static WorkRates Default { get; } = new(new Dictionary<string, double>(), DefaultRate);

    public double RateOf(string model) => MsPerStepPixel.TryGetValue(model, out var rate) ? rate : Fallback;

    /// <summary>The time of <paramref name="steps"/> steps of <paramref name="images"/> images of the size given.</summary>
    public TimeSpan TimeOf(string model, int steps, int images, int width, int height) =>
        TimeSpan.FromMilliseconds(StepPixels(steps, images, width, height) * RateOf(model));

    /// <summary>Rates from each model's last runs (its measured milliseconds with its steps, images and size).</summary>
    public static WorkRates From(IReadOnlyDictionary<string, IReadOnlyList<FinishedRun>> runs)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        double pooledMs = 0, pooledWork = 0;
        foreach (var (model, list) in runs)
        {
            var ms = list.Sum(r => r.TotalMs);
            var work = list.Sum(r => StepPixels(r.Steps, r.Images, r.Width, r.Height));
            if (work > 0 && ms > 0)
            {
                rates[model] = ms / work;
                (pooledMs, pooledWork) = (pooledMs + ms, pooledWork + work);
            }
        }

        return new WorkRates(rates, pooledWork > 0 ? pooledMs / pooledWork : DefaultRate);
    }

    private static double StepPixels(int steps, int images, int width, int height) => (double)steps * images * width * height;
}

/// <summary>One finished job as <see cref="WorkRates"/> measures it.</summary>
public readonly record struct FinishedRun(double TotalMs, int Steps, int Images, int Width, int Height);
