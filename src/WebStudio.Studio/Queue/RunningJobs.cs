using System.Collections.Concurrent;

namespace WebStudio.Studio.Queue;

/// <summary>The jobs this process is running, with the token that stops each within one step.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public CancellationTokenSource Register(Guid jobId, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = source;
        return source;
    }

    public void Unregister(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var source))
        {
            source.Dispose();
        }
    }

    public bool IsRunning(Guid jobId) => _running.ContainsKey(jobId);

    /// <returns>true when the job runs here and was told to stop.</returns>
    public bool Cancel(Guid jobId)
    {
        if (!_running.TryGetValue(jobId, out var source))
        {
            return false;
        }

        try
        {
            source.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // it finished meanwhile
        }
    }
}
