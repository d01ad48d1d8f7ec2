using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebStudio.Data;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Redis;

/// <summary>
/// Progress through Redis. A worker publishes each report on its job's channel (queued to a send loop that encodes
/// the frame and fires and forgets, so the denoising loop never waits) and
/// keeps the newest frame under a short time-to-live. A web node subscribes only to the jobs that its own views
/// follow and that run elsewhere, marks them followed (<see cref="RedisKeys.Followed"/>), starts each from the kept
/// frame, and reports what arrives to its <see cref="JobProgressNotifier"/> as if the job ran here. A job that no
/// view elsewhere follows has its steps published without images: its frames are never encoded or kept. With Redis down, reports are dropped (the database's
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

    /// <summary>A follow mark outlives a few missed refreshes (one a <see cref="ResyncInterval"/>), then goes by itself.</summary>
    private static readonly TimeSpan FollowTimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>How long a worker trusts what it read of a job's follow mark: a new follower's images start within it.</summary>
    private static readonly TimeSpan FollowCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly RedisKeys _keys = new(options.Value.Prefix);
    private readonly Dictionary<Guid, ChannelMessageQueue> _subscriptions = []; // the sync loop's own
    private readonly SemaphoreSlim _followsChanged = new(0, 1);
    // Written by the send loop: whether each job it sends for is followed, and when that was read (at most once per
    // FollowCheckInterval a job, not once a step). The worker reads it to know whether to draw frames at all.
    private readonly ConcurrentDictionary<Guid, (bool Followed, long ReadAt)> _followChecks = new();
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new() { SingleReader = true });
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
        if (_redis is not { IsConnected: true })
        {
            return; // no live frames while Redis is away; the job itself goes on
        }

        // Handed to the send loop: the caller is the denoising loop, which must not wait for the frame's encoding.
        _outgoing.Writer.TryWrite(new Outgoing(jobId, new Report(status, step, totalSteps, image, time.GetUtcNow().ToUnixTimeMilliseconds())));
    }

    public bool WantsFrames(Guid jobId) => _followChecks.TryGetValue(jobId, out var check) && check.Followed;

    // Through the same queue, so that a frame sent late cannot outlive its job's removal.
    public void Retire(Guid jobId) => _outgoing.Writer.TryWrite(new Outgoing(jobId, null));

    // Every report goes out, in order (a node elsewhere may watch); a frame is encoded here, once, and shared with
    // this node's watchers.
    private async Task SendAsync(CancellationToken stoppingToken)
    {
        await foreach (var outgoing in _outgoing.Reader.ReadAllAsync(stoppingToken))
        {
            if (_redis is not { IsConnected: true } redis)
            {
                continue; // the frame expires by itself
            }

            try
            {
                if (outgoing.Report is not { } report)
                {
                    _followChecks.TryRemove(outgoing.JobId, out _);
                    redis.GetDatabase().KeyDelete(_keys.Frame(outgoing.JobId), CommandFlags.FireAndForget);
                    continue;
                }

                // Encoded only for a job that a view on some node follows; otherwise the step goes out without it.
                // Asked for steps without a frame too: that answer is what tells the worker to start drawing them.
                var followed = report.Status == JobStatus.Running && await IsFollowedAsync(redis, outgoing.JobId);
                var png = followed && report.Image is { } image ? image.Bytes : null;
                var message = new ProgressMessage(report.Status, report.Step, report.TotalSteps, png, report.SentAt).Encode();
                if (png is not null)
                {
                    redis.GetDatabase().StringSet(_keys.Frame(outgoing.JobId), message, options.Value.FrameTimeToLive, flags: CommandFlags.FireAndForget);
                }

                redis.GetSubscriber().Publish(_keys.Job(outgoing.JobId), message, CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "A progress report of job {JobId} was not published", outgoing.JobId);
            }
        }
    }

    private async Task<bool> IsFollowedAsync(ConnectionMultiplexer redis, Guid jobId)
    {
        var now = time.GetTimestamp();
        if (_followChecks.TryGetValue(jobId, out var check) && time.GetElapsedTime(check.ReadAt, now) < FollowCheckInterval)
        {
            return check.Followed;
        }

        bool followed;
        try
        {
            followed = await redis.GetDatabase().KeyExistsAsync(_keys.Followed(jobId));
        }
        catch (RedisException)
        {
            followed = false; // Redis away: nothing would arrive anyway
        }

        _followChecks[jobId] = (followed, now);
        return followed;
    }

    private sealed record Report(JobStatus Status, int Step, int TotalSteps, PreviewImage? Image, long SentAt);

    /// <summary>A report to publish, or (no report) the job's kept frame to remove.</summary>
    private sealed record Outgoing(Guid JobId, Report? Report);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifier.FollowsChanged += OnFollowsChanged;
        var sending = Task.CompletedTask;
        try
        {
            _redis = await connection.GetAsync();
            sending = Task.Run(() => SendAsync(stoppingToken), CancellationToken.None);
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
            try
            {
                await sending; // ends with the stopping token; reports still queued then are dropped, as with Redis away
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
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
        List<Guid> kept;
        lock (_subscriptions)
        {
            unwanted = _subscriptions.Where(s => !wanted.Contains(s.Key)).ToList();
            foreach (var (id, _) in unwanted)
            {
                _subscriptions.Remove(id);
            }

            wanted.ExceptWith(_subscriptions.Keys);
            kept = [.. _subscriptions.Keys];
        }

        // Still followed: the marks are renewed (a mark let go expires by itself, as another node may follow the job too).
        foreach (var id in kept)
        {
            await IgnoreRedisErrorsAsync(() => redis.GetDatabase().StringSetAsync(_keys.Followed(id), 1, FollowTimeToLive, flags: CommandFlags.FireAndForget));
        }

        foreach (var (_, queue) in unwanted)
        {
            await IgnoreRedisErrorsAsync(() => queue.UnsubscribeAsync());
        }

        foreach (var id in wanted)
        {
            try
            {
                // Marked before subscribing, so that the worker attaches images to the reports the subscription hears.
                await redis.GetDatabase().StringSetAsync(_keys.Followed(id), 1, FollowTimeToLive);
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
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Gone with the connection anyway; at shutdown the connection may be closed before this service stops.
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
