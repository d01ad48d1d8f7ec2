using WebStudio.Studio.Previews;

namespace WebStudio.Studio.Queue;

/// <summary>The queue's two signals that cross processes.</summary>
public enum QueueSignalKind
{
    /// <summary>A job was queued: idle workers everywhere look for it at once.</summary>
    Wake,

    /// <summary>The queue changed: queue views on every node refresh.</summary>
    QueueChanged,
}

/// <summary>
/// The cross-process wake protocol, apart from the transport that carries it (Redis pub/sub, or PostgreSQL's
/// LISTEN/NOTIFY): each signal made here goes out with this process's origin, and a signal that comes in wakes the
/// workers or refreshes the queue views here, unless it is this process's own. The transport only moves
/// (kind, origin) pairs; the database poll stays the safety net for any it drops.
/// </summary>
public sealed class QueueSignalBridge(QueueSignal signal, JobProgressNotifier notifier)
{
    /// <summary>This process, as its messages name it.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Hands each signal made in this process to <paramref name="send"/> (with <see cref="Origin"/>) until the
    /// result is disposed. <paramref name="send"/> runs on the caller's path (a submission, a claim): keep it quick.</summary>
    public IDisposable Connect(Action<QueueSignalKind, string> send)
    {
        void Wake() => send(QueueSignalKind.Wake, Origin);
        void Changed() => send(QueueSignalKind.QueueChanged, Origin);
        signal.PulsedHere += Wake;
        notifier.QueueChangedHere += Changed;
        return new Connection(() =>
        {
            signal.PulsedHere -= Wake;
            notifier.QueueChangedHere -= Changed;
        });
    }

    /// <summary>A signal from the transport: acted on here unless this process sent it.</summary>
    public void Receive(QueueSignalKind kind, string origin)
    {
        if (origin == Origin)
        {
            return;
        }

        switch (kind)
        {
            case QueueSignalKind.Wake:
                signal.WakeFromElsewhere();
                break;
            case QueueSignalKind.QueueChanged:
                notifier.QueueChangedElsewhere();
                break;
        }
    }

    /// <summary>A signal as one text, for a transport with one channel: "wake:{origin}" or "queue:{origin}".</summary>
    public static string Encode(QueueSignalKind kind, string origin) =>
        $"{(kind == QueueSignalKind.Wake ? "wake" : "queue")}:{origin}";

    /// <summary>Receives an <see cref="Encode"/>d signal; anything else is ignored.</summary>
    public void Receive(string message)
    {
        var colon = message.IndexOf(':');
        if (colon < 0)
        {
            return;
        }

        switch (message[..colon])
        {
            case "wake":
                Receive(QueueSignalKind.Wake, message[(colon + 1)..]);
                break;
            case "queue":
                Receive(QueueSignalKind.QueueChanged, message[(colon + 1)..]);
                break;
        }
    }

    private sealed class Connection(Action disconnect) : IDisposable
    {
        private Action? _disconnect = disconnect;

        public void Dispose() => Interlocked.Exchange(ref _disconnect, null)?.Invoke();
    }
}
