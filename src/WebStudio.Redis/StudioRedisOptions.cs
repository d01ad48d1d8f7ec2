namespace WebStudio.Redis;

/// <summary>The "Redis" section of appsettings.json. Redis is off unless <see cref="Configuration"/> is set.</summary>
public sealed class StudioRedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=…</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefixes every channel and key, so that several studios can share one Redis.</summary>
    public string Prefix { get; set; } = "webstudio";

    /// <summary>How long the newest frame of a running job is kept, for a view that reconnects mid-job.</summary>
    public TimeSpan FrameTimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
