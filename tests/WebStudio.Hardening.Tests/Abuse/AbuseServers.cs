namespace WebStudio.Hardening.Tests.Abuse;

/// <summary>30 submissions a minute per user and room in the queue for all of them; no workers, so accepted
/// jobs stay queued and a burst is judged by the rate limit alone.</summary>
public sealed class RateLimitedServer() : StudioHost(new Dictionary<string, string?>
{
    ["Queue:SubmissionsPerMinute"] = RateLimitedServer.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Queue:MaxQueuedPerUser"] = "1000",
    ["Queue:RunJobs"] = "false",
})
{
    public const int PerMinute = 30;
}

/// <summary>Three queued jobs per user; no workers, so the queue fills and stays full.</summary>
public sealed class QueueLimitedServer() : StudioHost(new Dictionary<string, string?>
{
    ["Queue:MaxQueuedPerUser"] = QueueLimitedServer.MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Queue:RunJobs"] = "false",
})
{
    public const int MaxQueued = 3;
}

/// <summary>An engine slowed to 100 ms a step, so that a streamed job is still queued or running when its client drops.</summary>
public sealed class PacedServer() : StudioHost(new StudioHostOptions { StepPause = TimeSpan.FromMilliseconds(100) });
