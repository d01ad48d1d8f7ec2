namespace WebStudio.Studio.Queue;

/// <summary>Wakes idle workers when a job is queued in this process (other processes are seen by polling).</summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _pulse = NewSource();

    public void Pulse() => Interlocked.Exchange(ref _pulse, NewSource()).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _pulse).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Time to poll the database.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
