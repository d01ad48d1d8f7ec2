using WebStudio.Generation.Schedulers;

namespace WebStudio.Studio.Queue;

/// <summary>
/// How long queued work takes, for the queue's ETAs, per model and measured over that model's last finished jobs:
/// the milliseconds of one model call per pixel of one image, and the rest of a job (text encoding, the VAE's decode)
/// per pixel of one image. A job of s steps (c model calls: <see cref="SchedulerNames.ModelCalls"/>, 2s − 1 for Heun
/// and DPM2) and n images of w × h is estimated at n·w·h·(c·<see cref="ModelRate.StepMs"/> + <see cref="ModelRate.RestMs"/>):
/// a model at the size it usually runs at is estimated by its own recent jobs, another size in proportion to its
/// pixels, and a second-order sampler by its calls, so that Heun's 20 steps are not told as Euler's. One rate for every
/// model would estimate an SDXL job at 1024² by the last tiny jobs at 128², a hundred times too short. A model's load
/// is apart (<see cref="Loads"/>): it is paid once by the first job of a model that no worker holds
/// (<see cref="ModelLoadCharges"/>).
/// </summary>
/// <param name="Rates">Each measured model's rates.</param>
/// <param name="Fallback">The rates of a model with no finished job yet: the measured models' jobs pooled, or
/// <see cref="ModelRate.Default"/> where none has finished.</param>
public sealed record WorkRates(IReadOnlyDictionary<string, ModelRate> Rates, ModelRate Fallback)
{
    /// <summary>How many of a model's last finished jobs its rates are measured over.</summary>
    public const int History = 20;

    /// <summary>How many of a model's last loads its load time is the median of.</summary>
    public const int LoadHistory = 5;

    /// <summary>Each model's load time, the median of its last <see cref="LoadHistory"/> measured loads (of an even
    /// count, the longer middle one); a model never loaded by a measured run has none, and is charged nothing.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Loads { get; init; } = new Dictionary<string, TimeSpan>();

    public ModelRate RateOf(string model) => Rates.TryGetValue(model, out var rate) ? rate : Fallback;

    /// <summary>The time of <paramref name="steps"/> steps of <paramref name="scheduler"/> for <paramref name="images"/>
    /// images of the size given, and the rest of their job.</summary>
    public TimeSpan TimeOf(string model, string? scheduler, int steps, int images, int width, int height)
    {
        var rate = RateOf(model);
        return TimeSpan.FromMilliseconds((double)images * width * height * (SchedulerNames.ModelCalls(scheduler, steps) * rate.StepMs + rate.RestMs));
    }

    /// <summary>The time of a job whose images a hires fix then enlarges <paramref name="hiresFactor"/>× and redraws over
    /// <paramref name="hiresSteps"/> denoising steps each (GenerationJob.HiresFactor, HiresSteps; null for none): both
    /// passes, the second at its enlarged pixels.</summary>
    public TimeSpan TimeOf(string model, string? scheduler, int steps, int images, int width, int height, int? hiresFactor, int? hiresSteps) =>
        TimeOf(model, scheduler, steps, images, width, height)
        + (hiresFactor is { } factor && hiresSteps is { } second ? TimeOf(model, scheduler, second, images, width * factor, height * factor) : TimeSpan.Zero);

    /// <summary>Rates from each model's last runs.</summary>
    public static WorkRates From(IReadOnlyDictionary<string, IReadOnlyList<FinishedRun>> runs)
    {
        var rates = new Dictionary<string, ModelRate>(StringComparer.Ordinal);
        foreach (var (model, list) in runs)
        {
            if (ModelRate.Of(list) is { } rate)
            {
                rates[model] = rate;
            }
        }

        return new WorkRates(rates, ModelRate.Of([.. runs.Values.SelectMany(r => r)]) ?? ModelRate.Default);
    }
}

/// <summary>One model's speed: milliseconds per model call (an Euler step) per pixel of one image, and for the rest of
/// a job per pixel of one image.</summary>
public readonly record struct ModelRate(double StepMs, double RestMs)
{
    /// <summary>With nothing measured: 100 ms a model call for a 512² image, nothing else.</summary>
    public static ModelRate Default { get; } = new(100.0 / (512 * 512), 0);

    /// <summary>
    /// The call rate from the runs' summed step time over their model calls, and the rest's rate as the lower median of
    /// the runs', each without the model's load where the run measured it. Runs from before loads were measured hold
    /// their load in the rest: the lower median leaves it out as soon as there are two runs. Null when the runs measured
    /// no time.
    /// </summary>
    public static ModelRate? Of(IReadOnlyList<FinishedRun> runs)
    {
        var timed = runs.Where(r => r.TotalMs > 0 && r.Steps > 0 && r.Images > 0 && r.Width > 0 && r.Height > 0).ToList();
        if (timed.Count == 0)
        {
            return null;
        }

        var stepMs = timed.Sum(r => r.StepsMs) / timed.Sum(r => (double)r.Calls * r.ImagePixels);
        var rest = timed.Select(r => Math.Max(0, r.TotalMs - r.StepsMs - (r.LoadMs ?? 0)) / r.ImagePixels).Order().ToList();
        return new ModelRate(stepMs, rest[(rest.Count - 1) / 2]);
    }
}

/// <summary>One finished job as <see cref="WorkRates"/> measures it: its time, the mean time of one of its steps
/// (null where not measured: all of the time is counted as steps), its steps, images and size, the time it waited for
/// its model to load (null: none, or not measured), and its sampler.</summary>
public readonly record struct FinishedRun(double TotalMs, double? StepMs, int Steps, int Images, int Width, int Height, double? LoadMs = null,
    string? Scheduler = null)
{
    /// <summary>The model calls of its steps (<see cref="SchedulerNames.ModelCalls"/>).</summary>
    public int Calls => SchedulerNames.ModelCalls(Scheduler, Steps);

    /// <summary>The time of the steps, at most the whole.</summary>
    public double StepsMs => Math.Min(TotalMs, StepMs is { } step ? step * Steps : TotalMs);

    public double ImagePixels => (double)Images * Width * Height;
}
