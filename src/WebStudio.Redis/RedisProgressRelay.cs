using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebStudio.Data;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Redis;

/// <summary>
/// Progress through Redis. A worker publishes each report on its job's channel (fire and forget, never waiting) and
/// keeps the newest frame under a short time-to-live. A web node subscribes only to the jobs that its own views
/// follow and that run elsewhere, starts each from the kept frame, and reports what arrives to its
/// <see cref="JobProgressNotifier"/> as if the job ran here. With Redis down, reports are dropped (the database's
/// status follow still ends the views' jobs) and the subscriptions come back with the connection.
/// </summary>
public sealed class RedisProgressRelay(
    RedisConnection connection,
    JobProgressNotifier notifier,
    RunningJobs running,
    StudioMetrics metrics,
    TimeProvider time,
    IOptions<StudioRedisOptions> options,
    ILogger<RedisProgressRelay> logger) : BackgroundService, IProgressRelay
{
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(1);

    private readonly RedisKeys _keys = new(options.Value.Prefix);
    private readonly Dictionary<Guid, ChannelMessageQueue> _subscriptions = []; // the sync loop's own
    private readonly SemaphoreSlim _followsChanged = new(0, 1);
    private volatile ConnectionMultiplexer? _redis;

    /// <summary>The jobs this node receives progress for right now (for tests and the Workers page).</summary>
    public IReadOnlyCollection<Guid> Subscribed
    {
        get
        {
            lock (_subscriptions)
            {
                return [.. _subscriptions.Keys];
            }
        }
    }

    public void Publish(Guid jobId, JobStatus status, int step, int totalSteps, PreviewImage? image)
    {
        if (_redis is not { IsConnected: true } redis)
        {
            return; // no live frames while Redis is away; the job itself goes on
        }

        // Every frame goes out (a node elsewhere may watch): encoded here, once, and shared with this node's watchers.
        var png = image?.Bytes;

        try
        {
            var message = new ProgressMessage(status, step, totalSteps, png, time.GetUtcNow().ToUnixTimeMilliseconds()).Encode();
            if (png is not null)
            {
                redis.GetDatabase().StringSet(_keys.Frame(jobId), message, options.Value.FrameTimeToLive, flags: CommandFlags.FireAndForget);
            }

            redis.GetSubscriber().Publish(_keys.Job(jobId), message, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "A progress report of job {JobId} was not published", jobId);
        }
    }

    public void Retire(Guid jobId)
    {
        try
        {
            _redis?.GetDatabase().KeyDelete(_keys.Frame(jobId), CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // The frame expires by itself.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifier.FollowsChanged += OnFollowsChanged;
        try
        {
            _redis = await connection.GetAsync();
            while (!stoppingToken.IsCancellationRequested)
            {
                await SyncAsync(_redis);
                try
                {
                    await _followsChanged.WaitAsync(ResyncInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            notifier.FollowsChanged -= OnFollowsChanged;
        }
    }

    private void OnFollowsChanged()
    {
        try
        {
            _followsChanged.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sync is already due.
        }
    }

    // Subscribes to the followed jobs that run elsewhere, and lets go of the rest; a failure is retried at the next pass.
    private async Task SyncAsync(ConnectionMultiplexer redis)
    {
        var wanted = notifier.FollowedJobIds().Where(id => !running.IsRunning(id)).ToHashSet();
        List<KeyValuePair<Guid, ChannelMessageQueue>> unwanted;
        lock (_subscriptions)
        {
            unwanted = _subscriptions.Where(s => !wanted.Contains(s.Key)).ToList();
            foreach (var (id, _) in unwanted)
            {
                _subscriptions.Remove(id);
            }

            wanted.ExceptWith(_subscriptions.Keys);
        }

        foreach (var (_, queue) in unwanted)
        {
            await IgnoreRedisErrorsAsync(() => queue.UnsubscribeAsync());
        }

        foreach (var id in wanted)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(_keys.Job(id));
                queue.OnMessage(message => Deliver(id, message.Message, published: true));
                lock (_subscriptions)
                {
                    _subscriptions[id] = queue;
                }

                // After subscribing, so that no report falls between the newest frame and the first message.
                var newest = await redis.GetDatabase().StringGetAsync(_keys.Frame(id));
                if (!newest.IsNull)
                {
                    Deliver(id, newest, published: false);
                }
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "Could not follow job {JobId} through Redis yet", id);
            }
        }
    }

    private void Deliver(Guid jobId, RedisValue value, bool published)
    {
        if (running.IsRunning(jobId) || ProgressMessage.Decode((byte[])value!) is not { } message)
        {
            return; // a job claimed here meanwhile reports for itself
        }

        if (published && message.Png is not null)
        {
            metrics.PreviewArrived(time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(message.SentAtMs));
        }

        var live = notifier.GetLiveState(jobId);
        var stale = live is not null
            && (live.Status is nameof(JobStatus.Succeeded) or nameof(JobStatus.Failed) or nameof(JobStatus.Canceled)
                || (live.Status == message.Status.ToString() && message.Step < live.Step));
        if (!stale)
        {
            notifier.Report(jobId, message.Status, message.Step, message.TotalSteps, message.Png);
        }
    }

    private static async Task IgnoreRedisErrorsAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RedisException)
        {
            // Gone with the connection anyway.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<ChannelMessageQueue> queues;
        lock (_subscriptions)
        {
            queues = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }

        foreach (var queue in queues)
        {
            await IgnoreRedisErrorsAsync(() => queue.UnsubscribeAsync());
        }
    }
}
