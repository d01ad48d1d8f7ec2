namespace WebStudio.Studio.Execution;

/// <summary>
/// Keeps pool threads free beside the worker loops. A generation holds its pool thread for its whole run (ONNX
/// Runtime's Run is synchronous) and its result's store holds another for the PNG encode, while the pool's minimum is
/// one thread per core: on a small machine the loops take all of it, and the hub's preview sends, the circuits'
/// renders and the requests wait until the pool adds a thread. With the built-in model on 2 cores, the first preview
/// reached 10 watchers up to 125 ms after its job started (the server had it at 9–27 ms); at most 30 ms with this.
/// </summary>
public static class PoolThreadsForRuns
{
    /// <summary>Pool threads one worker loop may hold at once: its run and the store of its previous result.</summary>
    public const int PerLoop = 2;

    /// <summary>Raises the pool's minimum to a thread per core plus <see cref="PerLoop"/> per loop; never lowers it,
    /// so that hosts sharing a process (tests) do not add up.</summary>
    public static void Reserve(int loops)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Environment.ProcessorCount + (loops * PerLoop);
        if (wanted > workers)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }
}
