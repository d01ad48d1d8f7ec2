namespace WebStudio.Studio.Queue;

/// <summary>Wakes idle workers when a job is queued in this process (other processes are seen by polling).</summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _pulse = NewSource();

    public void Pulse() => Interlocked.Exchange(ref _pulse, NewSource()).TrySetResult();

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
