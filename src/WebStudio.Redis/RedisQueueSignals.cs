using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.Redis;

/// <summary>
/// Passes the queue's two signals between processes: "a job was queued" wakes idle workers everywhere at once (the
/// hand-over no longer waits for the database poll), and "the queue changed" refreshes queue views on every node.
/// Each process ignores its own messages (the protocol: <see cref="QueueSignalBridge"/>; this is its transport, a
/// channel per kind whose messages carry the origin). The database poll and the queue comparison stay as the safety net.
/// </summary>
public sealed class RedisQueueSignals(
    RedisConnection connection,
    QueueSignal signal,
    JobProgressNotifier notifier,
    IOptions<StudioRedisOptions> options,
    ILogger<RedisQueueSignals> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly RedisKeys _keys = new(options.Value.Prefix);
    private readonly QueueSignalBridge _bridge = new(signal, notifier);
    private volatile ConnectionMultiplexer? _redis;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var redis = await connection.GetAsync();
        var subscriber = redis.GetSubscriber();

        // Subscribed once; the multiplexer restores the subscriptions after a reconnect. Redis may be down at start.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await subscriber.SubscribeAsync(_keys.Wake, (_, origin) => _bridge.Receive(QueueSignalKind.Wake, origin.ToString()));
                await subscriber.SubscribeAsync(_keys.Queue, (_, origin) => _bridge.Receive(QueueSignalKind.QueueChanged, origin.ToString()));
                break;
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "Redis not reachable yet for the queue signals; retrying");
                await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _redis = redis;
        var sending = _bridge.Connect(Send);
        stoppingToken.Register(sending.Dispose);
    }

    private void Send(QueueSignalKind kind, string origin)
    {
        var channel = kind == QueueSignalKind.Wake ? _keys.Wake : _keys.Queue;
        if (_redis is not { IsConnected: true } redis)
        {
            return; // the other processes' polls see it
        }

        try
        {
            redis.GetSubscriber().Publish(channel, origin, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "A queue signal was not sent");
        }
    }
}
