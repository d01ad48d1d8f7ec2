using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.Redis;

/// <summary>
/// Passes the queue's two signals between processes: "a job was queued" wakes idle workers everywhere at once (the
/// hand-over no longer waits for the database poll), and "the queue changed" refreshes queue views on every node.
/// Each process ignores its own messages. The database poll and the queue comparison stay as the safety net.
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
    private readonly RedisValue _origin = Guid.NewGuid().ToString("N");
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
                await subscriber.SubscribeAsync(_keys.Wake, (_, origin) => OnMessage(origin, signal.WakeFromElsewhere));
                await subscriber.SubscribeAsync(_keys.Queue, (_, origin) => OnMessage(origin, notifier.QueueChangedElsewhere));
                break;
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "Redis not reachable yet for the queue signals; retrying");
                await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _redis = redis;
        signal.PulsedHere += OnPulsedHere;
        notifier.QueueChangedHere += OnQueueChangedHere;
        stoppingToken.Register(() =>
        {
            signal.PulsedHere -= OnPulsedHere;
            notifier.QueueChangedHere -= OnQueueChangedHere;
        });
    }

    private void OnMessage(RedisValue origin, Action action)
    {
        if (origin != _origin)
        {
            action();
        }
    }

    private void OnPulsedHere() => Send(_keys.Wake);

    private void OnQueueChangedHere() => Send(_keys.Queue);

    private void Send(RedisChannel channel)
    {
        if (_redis is not { IsConnected: true } redis)
        {
            return; // the other processes' polls see it
        }

        try
        {
            redis.GetSubscriber().Publish(channel, _origin, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "A queue signal was not sent");
        }
    }
}
