using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Previews;

/// <summary>
/// One run's preview frames. A fresh frame is decoded on the first step asked for, on every step that is a multiple of
/// the period, and on the last step; the steps between show the last frame again (the same object, so that a reader
/// can tell it is unchanged). A decoder that fails mid-run is logged and replaced by the projection: a preview never
/// fails a job.
/// </summary>
public sealed class StepPreviews(PreviewSource source, int every, ModelFamily family, ILogger logger)
{
    private RgbFrame? _last;

    /// <summary>What draws this run's frames now.</summary>
    public PreviewSource Source { get; private set; } = source;

    /// <summary>Frames decoded so far (the rest were repeats).</summary>
    public int Decoded { get; private set; }

    public RgbFrame Frame(StepProgress progress)
    {
        if (_last is not null && progress.StepIndex % every != 0 && progress.StepIndex != progress.TotalSteps - 1)
        {
            return _last;
        }

        try
        {
            _last = Source.Decode(progress.PredictedOriginal);
        }
        catch (Exception ex) when (Source.Kind != PreviewKind.Projection && ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The preview decoder {Decoder} failed ({Reason}); this run's previews use the latent→RGB projection instead",
                Source.Name, ex.Message);
            Source = PreviewSource.Projection(family);
            _last = Source.Decode(progress.PredictedOriginal);
        }

        Decoded++;
        return _last;
    }
}
