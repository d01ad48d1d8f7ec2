using WebStudio.Studio.Execution;
using WebStudio.Studio.Options;

namespace WebStudio.Benchmarks;

/// <summary>
/// How many workers one PostgreSQL primary can serve, from the measured cost of a claim and of a status read at
/// scale, and what each worker asks of the database per job and per second. Prints its assumptions with its figures.
/// </summary>
public sealed class PrimaryCapacity(ClaimRun claims, ClaimRun reads, double measuredJobSeconds)
{
    // The share of the primary's measured capacity that the queue may use: the rest is headroom (bursts, the web
    // nodes' reads, vacuum).
    private const double Budget = 0.5;

    // A long SD 1.5 job on a GPU (20 steps at 512², about 2-3 s): the job length at which a GPU farm claims most often.
    private const double GpuJobSeconds = 2.5;

    public void Print()
    {
        // Writes cost about a claim (a conditional update and a commit); reads cost a status read.
        var claimMs = 1000 / claims.ClaimsPerSecond;
        var readMs = 1000 / reads.ClaimsPerSecond;
        var heartbeatsPerSecond = 1 / new QueueOptions().HeartbeatInterval.TotalSeconds;
        var statusReadsPerSecond = 1 / JobRunner.StatusCheckInterval.TotalSeconds;
        Console.WriteLine("assumptions:");
        Console.WriteLine($"  primary time per claim = 1 / claims a second at scale with {claims.Claimers} claimers = {claimMs:0.00} ms (a store and a heartbeat cost as much as a claim)");
        Console.WriteLine($"  primary time per status read = 1 / reads a second with {reads.Claimers} readers = {readMs:0.000} ms");
        Console.WriteLine($"  per job: 1 claim + 1 store; per running worker and second: {heartbeatsPerSecond:0.00} heartbeats (lease / 3), {statusReadsPerSecond:0} status reads (JobRunner.StatusCheckInterval)");
        Console.WriteLine($"  the queue may use {Budget:P0} of the primary; measured on {Environment.ProcessorCount} shared cores, so a dedicated primary does better (a lower bound)");
        Console.WriteLine("  previews and wake-ups go through Redis: no database cost");
        foreach (var (what, seconds) in new[] { ("the built-in model here", measuredJobSeconds), ("an SD 1.5 job on a GPU (assumed)", GpuJobSeconds) })
        {
            if (double.IsNaN(seconds))
            {
                continue;
            }

            var claimShare = ((2 / seconds) + heartbeatsPerSecond) * claimMs / 1000;
            var readShare = statusReadsPerSecond * readMs / 1000;
            var workers = Budget / (claimShare + readShare);
            var first = readShare > claimShare
                ? "the running jobs' status checks (move cancel and claim-lost notices to Redis/LISTEN, check less often)"
                : "the claim (partition the queue by model or worker pool, each partition claimed apart; or shard users)";
            Console.WriteLine($"jobs of {seconds:0.00} s ({what}): a worker uses {(claimShare + readShare) * 1000:0.00} ms of primary time a second "
                + $"(claims, stores, heartbeats {claimShare * 1000:0.00} ms; status reads {readShare * 1000:0.00} ms) -> about {workers:0} workers per primary; "
                + $"split first: {first}");
        }
    }
}
