using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace WebStudio.Studio.Previews;

/// <summary>
/// A watcher's frames, at most one picture per <c>pace</c>: a small model finishes a step every few milliseconds, far
/// more often than anyone can follow, and every frame sent is encoded, serialised and sent to each watcher on the
/// same cores that denoise. The frame waiting in the one-frame channel is simply replaced meanwhile, so the watcher
/// always gets the newest; a frame that changes the status (running, the end) and the first picture go at once.
/// </summary>
internal sealed class PacedFrameReader(ChannelReader<PreviewFrame> frames, TimeSpan pace, TimeProvider time) : ChannelReader<PreviewFrame>
{
    // How often a held-back frame is looked at again, so that one replaced by a status change goes out soon.
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(20);

    private long _lastPicture;
    private bool _sentPicture;
    private string? _lastStatus;

    public override Task Completion => frames.Completion;

    public override bool CanPeek => true;

    public override bool TryPeek([MaybeNullWhen(false)] out PreviewFrame item) => frames.TryPeek(out item);

    public override bool TryRead([MaybeNullWhen(false)] out PreviewFrame item)
    {
        if (!frames.TryPeek(out var next) || Wait(next) > TimeSpan.Zero || !frames.TryRead(out item))
        {
            item = null;
            return false;
        }

        if (item.Image is not null)
        {
            (_lastPicture, _sentPicture) = (time.GetTimestamp(), true);
        }

        _lastStatus = item.Status;
        return true;
    }

    public override async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        while (await frames.WaitToReadAsync(cancellationToken))
        {
            if (!frames.TryPeek(out var next))
            {
                continue;
            }

            var wait = Wait(next);
            if (wait <= TimeSpan.Zero)
            {
                return true;
            }

            await Task.Delay(wait < Recheck ? wait : Recheck, time, cancellationToken);
        }

        return false;
    }

    // How long the frame must still wait: none for a new status or the first picture, else the rest of the pace.
    private TimeSpan Wait(PreviewFrame next) =>
        next.Status != _lastStatus || !_sentPicture ? TimeSpan.Zero : pace - time.GetElapsedTime(_lastPicture);
}
