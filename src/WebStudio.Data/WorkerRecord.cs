namespace WebStudio.Data;

/// <summary>
/// One queue worker (a worker loop of a web or worker process, usually one per device), as its heartbeat last wrote
/// it: what it can run, what it runs now and when it was last heard from. A worker that stops cleanly removes its row;
/// one that died keeps it, its heartbeat growing old.
/// </summary>
public sealed class WorkerRecord
{
    /// <summary>The worker id that its claims write into <see cref="GenerationJob.WorkerId"/>.</summary>
    public string Id { get; set; } = "";

    public string HostName { get; set; } = "";

    public int ProcessId { get; set; }

    /// <summary>Execution devices, e.g. "cuda:0" or "cpu".</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>Models it can run (the models folder it reads).</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Models loaded in its process now.</summary>
    public List<string> LoadedModels { get; set; } = [];

    public Guid? CurrentJobId { get; set; }

    public long JobsDone { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime LastHeartbeatAt { get; set; }
}
