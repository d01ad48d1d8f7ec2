using System.Diagnostics;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;

namespace WebStudio.Benchmarks;

/// <summary>
/// The SD-scale benchmark's step callback: times each denoising step, makes the latent→RGB preview on every step
/// and a full VAE decode of the predicted image every <see cref="VaeInterval"/> steps, keeps the time of each
/// apart (so one run gives step time, pipeline overhead and both preview costs), and checks values stay finite.
/// </summary>
internal sealed class SdScaleStepTimer(StableDiffusionPipeline pipeline) : IStepCallback
{
    public const int VaeInterval = 5;

    private long _stepStart = Stopwatch.GetTimestamp();

    /// <summary>Time between callbacks: one denoising step each (the first also encodes the prompt).</summary>
    public List<TimeSpan> Steps { get; } = [];

    public TimeSpan RgbPreview { get; private set; }

    public TimeSpan VaePreview { get; private set; }

    public int VaePreviews { get; private set; }

    /// <summary>All time spent in this callback: the pipeline's own wall time is the run's wall time minus this.</summary>
    public TimeSpan Total { get; private set; }

    /// <summary>False when a step's latents or a decoded preview held NaN or infinity.</summary>
    public bool AllFinite { get; private set; } = true;

    public bool OnStep(StepProgress progress)
    {
        var entered = Stopwatch.GetTimestamp();
        Steps.Add(Stopwatch.GetElapsedTime(_stepStart, entered));

        _ = LatentRgbPreview.Decode(progress.PredictedOriginal, family: pipeline.Model.Config.Family);
        var rgbDone = Stopwatch.GetTimestamp();
        RgbPreview += Stopwatch.GetElapsedTime(entered, rgbDone);

        AllFinite &= progress.Latents.Data.All(float.IsFinite);
        if (progress.StepIndex % VaeInterval == 0)
        {
            var decodeStart = Stopwatch.GetTimestamp();
            var pixels = pipeline.DecodeLatents(progress.PredictedOriginal.Slice(0));
            VaePreview += Stopwatch.GetElapsedTime(decodeStart);
            VaePreviews++;
            AllFinite &= pixels.Data.All(float.IsFinite);
        }

        _stepStart = Stopwatch.GetTimestamp();
        Total += Stopwatch.GetElapsedTime(entered, _stepStart);
        return true;
    }
}
