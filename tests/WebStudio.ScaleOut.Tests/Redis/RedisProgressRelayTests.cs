using System.Diagnostics;
using StackExchange.Redis;
using WebStudio.Redis;
using WebStudio.Data;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests.Redis;

/// <summary>
/// Progress from a worker process to a web node through a real redis-server: frames, the newest frame for a view
/// that connects mid-job, subscriptions only for followed jobs, and Redis going away and coming back.
/// </summary>
[Trait("Capability", "ScaleOut")]
public sealed class RedisProgressRelayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly byte[] FramePng = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4];

    [Fact]
    public async Task A_frame_published_by_a_worker_reaches_a_view_on_another_node()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t1");
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t1");
        var job = Guid.NewGuid();
        using var watching = new CancellationTokenSource(Patience);
        var frames = web.Notifier.Watch(job, JobStatus.Running, 20, watching.Token);
        Assert.Equal(0, (await frames.ReadAsync(watching.Token)).Step); // the stored state, at once
        await WaitUntilAsync(() => web.Relay.Subscribed.Contains(job));

        worker.PublishedRelay.Publish(job, JobStatus.Running, 3, 20, PreviewImage.FromEncoded(FramePng));
        var frame = await frames.ReadAsync(watching.Token);

        Assert.Equal((3, 20, "Running"), (frame.Step, frame.TotalSteps, frame.Status));
        Assert.Equal(FramePng, frame.Png);
        worker.PublishedRelay.Publish(job, JobStatus.Succeeded, 20, 20, null);
        Assert.Equal("Succeeded", (await frames.ReadAsync(watching.Token)).Status);
        Assert.False(await frames.WaitToReadAsync(watching.Token), "the watch ends with the job");
    }

    [Fact]
    public async Task A_view_that_connects_mid_job_starts_from_the_newest_frame()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t2");
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t2");
        await using var other = await RedisNode.StartAsync(redis.Configuration, "t2");
        var job = Guid.NewGuid();
        byte[] newest = [.. FramePng, 9];

        // A view on another node follows the job from its start, so its frames are kept.
        using var followed = new CancellationTokenSource(Patience);
        var otherFrames = other.Notifier.Watch(job, JobStatus.Running, 20, followed.Token);
        await WaitUntilAsync(() => other.Relay.Subscribed.Contains(job));
        worker.PublishedRelay.Publish(job, JobStatus.Running, 4, 20, PreviewImage.FromEncoded(FramePng));
        worker.PublishedRelay.Publish(job, JobStatus.Running, 5, 20, PreviewImage.FromEncoded(newest));
        while ((await otherFrames.ReadAsync(followed.Token)).Step < 5)
        {
        }

        using var watching = new CancellationTokenSource(Patience);
        var frames = web.Notifier.Watch(job, JobStatus.Running, 20, watching.Token);
        PreviewFrame frame;
        do
        {
            frame = await frames.ReadAsync(watching.Token);
        }
        while (frame.Png is null);

        Assert.Equal(5, frame.Step);
        Assert.Equal(newest, frame.Png);
        var ttl = await TimeToLiveAsync(redis, "t2", job);
        Assert.True(ttl > TimeSpan.Zero && ttl <= TimeSpan.FromSeconds(30), $"the newest frame is kept for a short while, not for ever (TTL {ttl})");

        worker.PublishedRelay.Retire(job);
        await WaitUntilAsync(async () => (await FrameKeyAsync(redis, "t2", job)) is null);
    }

    [Fact]
    public async Task A_job_that_no_view_follows_publishes_its_steps_without_encoding_or_keeping_a_frame()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t5");
        await using var listener = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var job = Guid.NewGuid();
        var heard = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        await listener.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"t5:job:{job:N}"), (_, message) => heard.Writer.TryWrite(message!));

        // The image is a lazily encoded one: had the relay wanted its bytes, it would have been encoded.
        var image = PreviewImage.FromPixels(new byte[8 * 8 * 3], 8, 8);
        worker.PublishedRelay.Publish(job, JobStatus.Running, 3, 20, image);
        using var waiting = new CancellationTokenSource(Patience);
        var message = ProgressMessage.Decode(await heard.Reader.ReadAsync(waiting.Token));

        Assert.Equal((3, 20, (byte[]?)null), (message!.Step, message.TotalSteps, message.Png)); // the step, no image
        Assert.False(image.IsEncoded, "nobody follows the job, yet its frame was encoded");
        Assert.Null(await FrameKeyAsync(redis, "t5", job));
        Assert.False(worker.PublishedRelay.WantsFrames(job), "nobody follows the job, yet its worker is told to draw frames");
    }

    [Fact]
    public async Task A_worker_is_told_to_draw_frames_once_a_view_on_another_node_follows_its_job()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t6");
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t6");
        var job = Guid.NewGuid();
        worker.PublishedRelay.Publish(job, JobStatus.Running, 1, 20, null);
        await Task.Delay(300);
        Assert.False(worker.PublishedRelay.WantsFrames(job));

        // A view follows the job on the web node; the worker's steps, sent without frames, learn of it.
        using var watching = new CancellationTokenSource(Patience);
        var frames = web.Notifier.Watch(job, JobStatus.Running, 20, watching.Token);
        await WaitUntilAsync(() => web.Relay.Subscribed.Contains(job));
        var step = 2;
        await WaitUntilAsync(() =>
        {
            worker.PublishedRelay.Publish(job, JobStatus.Running, step++, 20, null);
            return worker.PublishedRelay.WantsFrames(job);
        });

        worker.PublishedRelay.Publish(job, JobStatus.Running, step, 20, PreviewImage.FromEncoded(FramePng));
        PreviewFrame frame;
        do
        {
            frame = await frames.ReadAsync(watching.Token);
        }
        while (frame.Png is null);
        Assert.Equal(FramePng, frame.Png);

        worker.PublishedRelay.Retire(job);
        await WaitUntilAsync(() => !worker.PublishedRelay.WantsFrames(job));
    }

    [Fact]
    public async Task A_web_node_subscribes_only_to_the_jobs_its_views_follow_and_lets_go_when_they_stop()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t3");
        var followed = Guid.NewGuid();
        var local = Guid.NewGuid();
        var watching = new CancellationTokenSource(Patience);
        web.Notifier.Watch(followed, JobStatus.Running, 20, watching.Token);
        using var runsHere = web.Running.Register(local, CancellationToken.None);
        using var localView = web.Notifier.SubscribeJob(local, _ => Task.CompletedTask);

        await WaitUntilAsync(async () => (await JobChannelsAsync(redis, "t3")).Count == 1);
        Assert.Equal([$"t3:job:{followed:N}"], await JobChannelsAsync(redis, "t3")); // not the job running here

        await watching.CancelAsync();
        await WaitUntilAsync(async () => (await JobChannelsAsync(redis, "t3")).Count == 0);
        Assert.Empty(web.Relay.Subscribed);
    }

    [Fact]
    public async Task With_Redis_down_publishing_neither_fails_nor_waits_and_frames_come_back_with_Redis()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t4");
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t4");
        var job = Guid.NewGuid();
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var frames = web.Notifier.Watch(job, JobStatus.Running, 200, watching.Token);
        await frames.ReadAsync(watching.Token);
        await WaitUntilAsync(() => web.Relay.Subscribed.Contains(job));

        await redis.StopAsync();
        var publishing = Stopwatch.StartNew();
        for (var step = 1; step <= 100; step++)
        {
            worker.PublishedRelay.Publish(job, JobStatus.Running, step, 200, PreviewImage.FromEncoded(FramePng));
        }

        publishing.Stop();
        Assert.True(publishing.ElapsedMilliseconds < 500, $"100 reports took {publishing.ElapsedMilliseconds} ms with Redis down: the worker must not wait for it");

        await redis.StartAsync();
        var delivered = 0;
        for (var step = 101; delivered == 0 && watching.Token is { IsCancellationRequested: false }; step++)
        {
            worker.PublishedRelay.Publish(job, JobStatus.Running, step, 200, PreviewImage.FromEncoded(FramePng));
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(watching.Token);
            tick.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                var frame = await frames.ReadAsync(tick.Token);
                delivered = frame.Step > 100 ? frame.Step : 0;
            }
            catch (OperationCanceledException) when (!watching.IsCancellationRequested)
            {
                // not reconnected yet
            }
        }

        Assert.True(delivered > 100, "frames did not come back after Redis restarted");
    }

    [Fact]
    public async Task A_job_queued_in_one_process_wakes_the_idle_workers_of_another_at_once()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var web = await RedisNode.StartAsync(redis.Configuration, "t5");
        await using var worker = await RedisNode.StartAsync(redis.Configuration, "t5");
        await WaitUntilAsync(async () =>
        {
            // Both have subscribed once a pulse gets across.
            var next = worker.Signal.Next;
            web.Signal.Pulse();
            await QueueSignal.WaitAsync(next, TimeSpan.FromMilliseconds(200), CancellationToken.None);
            return next.IsCompleted;
        });
        await WaitUntilAsync(async () =>
        {
            // Each process subscribes to the wake channel before the queue's, so the queue's is checked on its own.
            var seen = 0;
            using var warmUp = worker.Notifier.SubscribeQueue(() => { Interlocked.Increment(ref seen); return Task.CompletedTask; });
            web.Notifier.QueueChanged();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            return Volatile.Read(ref seen) > 0;
        });

        var queueViews = 0;
        using var view = worker.Notifier.SubscribeQueue(() => { Interlocked.Increment(ref queueViews); return Task.CompletedTask; });
        var wakes = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var idle = worker.Signal.Next;
            var woken = Stopwatch.StartNew();
            web.Signal.Pulse();
            web.Notifier.QueueChanged();
            await QueueSignal.WaitAsync(idle, TimeSpan.FromSeconds(5), CancellationToken.None);
            Assert.True(idle.IsCompleted, $"wake {i} did not arrive in 5 s");
            wakes.Add(woken.Elapsed);
        }

        // Nothing here polls, so every wake came through Redis; the median shows it comes at once.
        wakes.Sort();
        Assert.True(wakes[wakes.Count / 2] < TimeSpan.FromMilliseconds(250), $"the median wake took {wakes[wakes.Count / 2].TotalMilliseconds:0} ms");
        await WaitUntilAsync(() => Volatile.Read(ref queueViews) == 20);
    }

    private static async Task<IReadOnlyList<string>> JobChannelsAsync(RedisServer redis, string prefix)
    {
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var channels = await client.GetServer(client.GetEndPoints()[0]).SubscriptionChannelsAsync(RedisChannel.Pattern($"{prefix}:job:*"));
        return [.. channels.Select(c => c.ToString())];
    }

    private static async Task<byte[]?> FrameKeyAsync(RedisServer redis, string prefix, Guid job)
    {
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        return await client.GetDatabase().StringGetAsync($"{prefix}:frame:{job:N}");
    }

    private static async Task<TimeSpan?> TimeToLiveAsync(RedisServer redis, string prefix, Guid job)
    {
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        return await client.GetDatabase().KeyTimeToLiveAsync($"{prefix}:frame:{job:N}");
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Patience, "the condition did not come true in time");
            await Task.Delay(20);
        }
    }
}
