namespace WebStudio.Studio.Queue;

/// <summary>
/// Wakes idle workers when a job is queued, so that a job starts at once rather than at the next poll. A relay
/// (Redis) passes a pulse made here on to the workers of other processes, and theirs to ours; the database poll
/// stays as the safety net.
/// </summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _pulse = NewSource();

    /// <summary>Raised by <see cref="Pulse"/> (a job queued in this process), not by <see cref="WakeFromElsewhere"/>.</summary>
    public event Action? PulsedHere;

    public void Pulse()
    {
        WakeFromElsewhere();
        PulsedHere?.Invoke();
    }

    /// <summary>Another process queued a job: wakes the workers here without passing the pulse on again.</summary>
    public void WakeFromElsewhere() => Interlocked.Exchange(ref _pulse, NewSource()).TrySetResult();

    /// <summary>Completes at the next <see cref="Pulse"/>. A worker takes it before it looks for a job, so that a job
    /// queued between an empty claim and the wait still wakes it (<see cref="WaitAsync(Task, TimeSpan, CancellationToken)"/>).</summary>
    public Task Next => Volatile.Read(ref _pulse).Task;

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(Next, timeout, cancellationToken);

    /// <summary>Waits for <paramref name="next"/> (taken from <see cref="Next"/>), at most <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Time to poll the database.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
