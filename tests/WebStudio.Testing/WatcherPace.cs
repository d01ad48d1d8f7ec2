namespace WebStudio.Tests.Shared;

/// <summary>
/// Paces a run by its watcher instead of by the clock: after each step the engine waits until the test has received
/// a frame (<see cref="Received"/>), so a loaded machine cannot make a watcher miss every step of a short run. A watcher
/// only ever gets the newest frame, so the wait has a limit: a frame that was replaced costs one limit, never a hang.
/// </summary>
public sealed class WatcherPace(TimeSpan limit)
{
    private readonly SemaphoreSlim _received = new(0, int.MaxValue);

    public WatcherPace()
        : this(TimeSpan.FromSeconds(5))
    {
    }

    /// <summary>The test got a frame: the run may take its next step.</summary>
    public void Received() => _received.Release();

    /// <summary>Called by the engine after a step's callback has reported the step.</summary>
    public void WaitForWatcher(CancellationToken cancellationToken) => _received.Wait(limit, cancellationToken);
}
