namespace WebStudio.ScaleOut.Tests.Redis;

public static class RedisStudioOptions
{
    /// <summary>Web nodes that run no jobs, beside worker processes, on one data folder and one Redis; every frame is
    /// sent (no pace), so that what arrives counts the transport, not a watcher.</summary>
    public static StudioHostOptions NodesWithoutJobs(string dataFolder, RedisServer redis) => new()
    {
        DataFolder = dataFolder,
        RunJobs = false,
        Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Configuration, ["Generation:PreviewIntervalMs"] = "0" },
    };
}
