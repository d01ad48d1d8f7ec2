using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Tests.Queue;

/// <summary>The cross-process wake protocol that the Redis and the PostgreSQL transports share, over an in-memory
/// transport that hands every message to every process, the sender included, as pub/sub and NOTIFY do.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class QueueSignalBridgeTests
{
    [Fact]
    public async Task A_job_queued_in_one_process_wakes_the_workers_of_another_and_not_itself_twice()
    {
        var (a, b) = (new Process(), new Process());
        using var bus = Bus.Connect(a, b);
        var nextOnB = b.Signal.Next;
        var nextOnA = a.Signal.Next;

        a.Signal.Pulse();

        await nextOnB.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(nextOnA.IsCompleted); // woken by its own pulse
        Assert.False(a.Signal.Next.IsCompleted); // and not again by its own message coming back
        Assert.False(b.Signal.Next.IsCompleted); // nor B again: it does not pass the wake on
    }

    [Fact]
    public async Task A_queue_change_in_one_process_refreshes_the_queue_views_of_the_other()
    {
        var (a, b) = (new Process(), new Process());
        using var bus = Bus.Connect(a, b);
        var refreshed = new TaskCompletionSource();
        using var view = b.Notifier.SubscribeQueue(() =>
        {
            refreshed.TrySetResult();
            return Task.CompletedTask;
        });

        a.Notifier.QueueChanged();

        await refreshed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_signal_survives_its_one_text_form_and_other_texts_are_ignored()
    {
        var process = new Process();
        var woken = process.Signal.Next;

        process.Bridge.Receive(QueueSignalBridge.Encode(QueueSignalKind.Wake, process.Bridge.Origin));
        process.Bridge.Receive("nonsense");
        process.Bridge.Receive("other:someone");
        Assert.False(woken.IsCompleted); // its own, or not a signal

        process.Bridge.Receive(QueueSignalBridge.Encode(QueueSignalKind.Wake, "elsewhere"));
        Assert.True(woken.IsCompleted);
        Assert.Equal("queue:x", QueueSignalBridge.Encode(QueueSignalKind.QueueChanged, "x"));
    }

    private sealed class Process
    {
        public Process() => Bridge = new QueueSignalBridge(Signal, Notifier);

        public QueueSignal Signal { get; } = new();

        public JobProgressNotifier Notifier { get; } = new();

        public QueueSignalBridge Bridge { get; }
    }

    private sealed class Bus(List<IDisposable> connections) : IDisposable
    {
        public static Bus Connect(params Process[] processes) => new(processes.Select(sender => sender.Bridge.Connect((kind, origin) =>
        {
            foreach (var receiver in processes)
            {
                receiver.Bridge.Receive(QueueSignalBridge.Encode(kind, origin));
            }
        })).ToList());

        public void Dispose() => connections.ForEach(c => c.Dispose());
    }
}
