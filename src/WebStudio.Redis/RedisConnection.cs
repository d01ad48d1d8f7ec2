using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WebStudio.Redis;

/// <summary>
/// The process's one connection to Redis. It is made in the background and never fails the host's start: with
/// Redis down, generation goes on without live frames, and the multiplexer reconnects (and restores its
/// subscriptions) by itself. Commands fail at once while it is down rather than piling up behind it.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connect;
    private readonly ILogger<RedisConnection> _logger;

    public RedisConnection(IOptions<StudioRedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        var settings = Settings(options.Value);
        _connect = new(() => ConnectAsync(settings));
    }

    /// <summary>Settings shared with SignalR's backplane: never abort on a failed connect, fail fast while down.</summary>
    public static ConfigurationOptions Settings(StudioRedisOptions options)
    {
        var settings = ConfigurationOptions.Parse(options.Configuration ?? throw new InvalidOperationException("Redis:Configuration is not set."));
        settings.AbortOnConnectFail = false;
        settings.BacklogPolicy = BacklogPolicy.FailFast;
        settings.ConnectTimeout = 2000;
        settings.ReconnectRetryPolicy = new LinearRetry(500);
        return settings;
    }

    public Task<ConnectionMultiplexer> GetAsync() => _connect.Value;

    private async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions settings)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(settings);
        multiplexer.ConnectionFailed += (_, e) => _logger.LogWarning("Redis connection lost ({FailureType}); live previews pause until it is back", e.FailureType);
        multiplexer.ConnectionRestored += (_, _) => _logger.LogInformation("Redis connection restored");
        _logger.Log(multiplexer.IsConnected ? LogLevel.Information : LogLevel.Warning,
            "Redis at {Endpoints}: {State}", string.Join(", ", settings.EndPoints), multiplexer.IsConnected ? "connected" : "not reachable yet; retrying in the background");
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connect.IsValueCreated)
        {
            try
            {
                await (await _connect.Value).DisposeAsync();
            }
            catch (RedisException)
            {
                // Nothing to close.
            }
        }
    }
}
