using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Previews;

/// <summary>
/// One running job's step pictures: which steps get one, and the picture. A picture is drawn only for someone who
/// watches, here or elsewhere (through a tiny autoencoder it costs about as much as the step itself), and no more often
/// than half the shortest pace its watchers are sent pictures at: a small model steps every few milliseconds, a watcher
/// gets ten pictures a second, and the one it is sent is then at most half a pace old. The first and the last steps
/// always get one. The paces come from the notifier (<see cref="JobProgressNotifier.PictureInterval"/>) and the relay.
/// </summary>
public sealed class StepPictures(TimeProvider time)
{
    private long _lastDrawn;
    private byte[]? _lastPixels;
    private PreviewImage? _lastPicture;

    /// <summary>The shortest of two paces, either of which may be absent (nobody watches there).</summary>
    public static TimeSpan? Shortest(TimeSpan? here, TimeSpan? elsewhere) =>
        here is { } a && elsewhere is { } b ? (a <= b ? a : b) : here ?? elsewhere;

    /// <summary>The picture of <paramref name="step"/>, or null when none is due at <paramref name="pace"/> (null:
    /// nobody watches).</summary>
    public PreviewImage? For(EngineStep step, TimeSpan? pace)
    {
        if (pace is not { } every || (_lastDrawn != 0 && step.Step != step.TotalSteps - 1 && time.GetElapsedTime(_lastDrawn) < every / 2))
        {
            return null;
        }

        // Only the pixels are copied here (the latents change at the next step); the encoding waits for a reader, off
        // the generation's thread, and is done once however many watch (PreviewImage).
        var pixels = step.Preview();
        // Between the steps that decode a fresh frame (Generation:PreviewEvery) the engine hands the same pixels again:
        // they keep their picture, encoded once.
        if (!ReferenceEquals(pixels.Rgb, _lastPixels))
        {
            (_lastPixels, _lastPicture) = (pixels.Rgb, PreviewImage.FromPixels(pixels.Rgb, pixels.Width, pixels.Height));
        }

        _lastDrawn = time.GetTimestamp();
        return _lastPicture;
    }
}
