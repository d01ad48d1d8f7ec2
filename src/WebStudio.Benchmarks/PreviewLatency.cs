using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;
using WebStudio.Redis;

using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>
/// Preview delivery: from the moment a worker publishes a step's preview to its receipt by a SignalR client of a web
/// node (the hub's WatchJob stream). The publish time is the one the worker stamps on every relay message
/// (<see cref="ProgressMessage.SentAtMs"/>), read by a tap that subscribes to the job's Redis channel beside the web
/// node; the receipt time is the client's clock. Both are this machine's clock. Frames are matched by step; a step
/// that the client skipped (its one-frame buffer keeps the newest) counts for nothing, nor does the first frame of a
/// watch (the state when it began).
/// </summary>
public static class PreviewLatency
{
    /// <summary>The matched steps' latencies, and how many frames were published and received (so that a gap shows).</summary>
    public sealed record Sample(IReadOnlyList<double> Ms, int Published, int Received)
    {
        public string Describe() => $"{Percentiles.Describe(Ms)}; {Published} frames published, {Received} received live";
    }

    /// <summary>Submits <paramref name="jobs"/> jobs at once behind one more, watches each from its submission, and returns every matched step's latency.</summary>
    public static async Task<Sample> MeasureAsync(StudioBenchUser user, string redisConfiguration, string prefix, Func<long, object> parameters, int jobs, long firstSeed)
    {
        await using var tap = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var keys = new RedisKeys(prefix);
        await using var hub = await user.ConnectHubAsync();
        var sent = new ConcurrentDictionary<(Guid, int), long>();
        var received = new ConcurrentDictionary<(Guid, int), double>();
        var watches = new List<Task>();

        // A job ahead of the measured ones, unwatched: they wait behind it while their watches and taps attach.
        var ids = new List<Guid> { await user.SubmitAsync(parameters(firstSeed + jobs)) };
        for (var i = 0; i < jobs; i++)
        {
            var id = await user.SubmitAsync(parameters(firstSeed + i));
            ids.Add(id);
            var channel = await tap.GetSubscriber().SubscribeAsync(keys.Job(id));
            channel.OnMessage(message =>
            {
                if (ProgressMessage.Decode((byte[])message.Message!) is { Png: not null } progress)
                {
                    sent.TryAdd((id, progress.Step), progress.SentAtMs);
                }
            });
            watches.Add(WatchAsync(hub, id, received));
        }

        foreach (var id in ids)
        {
            await user.WaitForEndAsync(id, 100);
        }

        await Task.WhenAll(watches);
        await tap.GetSubscriber().UnsubscribeAllAsync();
        return new Sample([.. received.Where(r => sent.ContainsKey(r.Key)).Select(r => r.Value - sent[r.Key])], sent.Count, received.Count);
    }

    private static async Task WatchAsync(HubConnection hub, Guid id, ConcurrentDictionary<(Guid, int), double> received)
    {
        var stream = await hub.StreamAsChannelAsync<BenchFrame>("WatchJob", id);
        var first = true;
        await foreach (var frame in stream.ReadAllAsync())
        {
            var at = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

            // The first frame is the job's state when the watch began (possibly a kept frame, published earlier): no delivery.
            if (!first && frame is { Png: not null, Status: "Running" })
            {
                received.TryAdd((id, frame.Step), at);
            }

            first = false;
        }
    }
}
