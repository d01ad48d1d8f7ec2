using StackExchange.Redis;

namespace WebStudio.Redis;

/// <summary>The studio's channel and key names in Redis, all under one prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>A job's progress reports, published by the worker running it.</summary>
    public RedisChannel Job(Guid jobId) => RedisChannel.Literal($"{prefix}:job:{jobId:N}");

    /// <summary>The newest frame of a running job, kept a short while for views that (re)connect mid-job.</summary>
    public RedisKey Frame(Guid jobId) => $"{prefix}:frame:{jobId:N}";

    /// <summary>Present while a view on some node follows the job: only then are its frames encoded and sent.</summary>
    public RedisKey Followed(Guid jobId) => $"{prefix}:followed:{jobId:N}";

    /// <summary>A job was queued: idle workers anywhere claim at once.</summary>
    public RedisChannel Wake => RedisChannel.Literal($"{prefix}:wake");

    /// <summary>The queue changed: queue views anywhere refresh.</summary>
    public RedisChannel Queue => RedisChannel.Literal($"{prefix}:queue");

    /// <summary>SignalR's backplane.</summary>
    public RedisChannel SignalR => RedisChannel.Literal($"{prefix}:signalr");
}
