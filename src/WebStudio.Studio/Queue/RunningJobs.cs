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

    /// <summary>Removes the run's entry, only if it is still <paramref name="source"/>'s: after a lost claim, another
    /// worker of this process may be running the same job again under its own entry.</summary>
    public void Unregister(Guid jobId, CancellationTokenSource source)
    {
        _running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(jobId, source));
        source.Dispose();
    }

    public bool IsRunning(Guid jobId) => _running.ContainsKey(jobId);

    /// <summary>The jobs running here now (a snapshot).</summary>
    public IReadOnlyCollection<Guid> Ids => [.. _running.Keys];

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
