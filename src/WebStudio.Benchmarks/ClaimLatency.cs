using System.Collections.Concurrent;
using System.Diagnostics;
using WebStudio.Studio.Queue;

using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>What concurrent claimers measured: each <see cref="JobQueue.ClaimNextAsync"/> call's time, and the rate.</summary>
public sealed record ClaimRun(IReadOnlyList<double> LatenciesMs, int Claims, double Seconds, int Claimers, bool WarmUpLeftOut = false)
{
    public double ClaimsPerSecond => Claims / Seconds;

    public string Describe() => $"{Percentiles.Describe(LatenciesMs, "0.0")}{(WarmUpLeftOut ? " (each claimer's first call left out: its warm-up)" : "")}; {Claims} claims by {Claimers} claimers in {Seconds:0.0} s = {ClaimsPerSecond:0} claims/s";
}

/// <summary>
/// Claim latency: <c>claimers</c> workers (tasks in this process, each claiming as a worker process would, on its own
/// connections) claim jobs as fast as they can through the queue's own <see cref="JobQueue.ClaimNextAsync"/>.
/// </summary>
public static class ClaimLatency
{
    /// <param name="claimsEach">Each claimer stops after this many claims, or when nothing is queued.</param>
    /// <param name="timeLimit">Each claimer also stops once this much time has passed (a slow claim keeps the run short).</param>
    /// <param name="jobLength">Zero: back to back, the primary's capacity. Otherwise each claimer "runs" each job it
    /// takes for 0.5 to 1.5 times this long before its next claim, as a worker does, so claims arrive as they would.</param>
    public static async Task<ClaimRun> MeasureAsync(BenchDatabase database, int claimers, int claimsEach, TimeSpan timeLimit, TimeSpan jobLength = default)
    {
        var latencies = new ConcurrentBag<double>();
        var claims = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wall = new Stopwatch();
        var tasks = Enumerable.Range(0, claimers).Select(c => Task.Run(async () =>
        {
            await gate.Task;
            var worker = $"bench/claimer-{c}";
            var calls = 0;
            for (var mine = 0; mine < claimsEach && wall.Elapsed < timeLimit;)
            {
                var clock = Stopwatch.StartNew();
                var job = await database.Queue.ClaimNextAsync(worker, CancellationToken.None);
                if (calls++ > 0)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds); // the first is a warm-up (a connection opened, code compiled)
                }

                if (job is not null)
                {
                    mine++;
                    Interlocked.Increment(ref claims);
                    if (jobLength > TimeSpan.Zero)
                    {
                        await Task.Delay(jobLength * (0.5 + Random.Shared.NextDouble()));
                    }
                }
                else if (!await database.AnyQueuedAsync())
                {
                    return; // null also when others took every candidate: stop only on an empty queue
                }
            }
        })).ToList();
        wall.Start();
        gate.SetResult();
        await Task.WhenAll(tasks);
        return new ClaimRun([.. latencies], claims, wall.Elapsed.TotalSeconds, claimers, WarmUpLeftOut: true);
    }
}
