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
        var heartbeatsPerSecond = 1 / new QueueOptions().HeartbeatInterval.TotalSeconds;
        var statusReadsPerSecond = 1 / JobRunner.StatusCheckInterval.TotalSeconds;
        Console.WriteLine("assumptions:");
        Console.WriteLine($"  the primary's claim capacity = claims a second at scale with {claims.Claimers} claimers = {claims.ClaimsPerSecond:0.0}/s (claims serialise on the queue's head)");
        Console.WriteLine($"  its capacity for small indexed statements = status reads a second with {reads.Claimers} readers = {reads.ClaimsPerSecond:0}/s; a write (a store, a heartbeat) costs 2 reads");
        Console.WriteLine($"  per job: 1 claim + 1 store; per running worker and second: {heartbeatsPerSecond:0.00} heartbeats (lease / 3), {statusReadsPerSecond:0} status reads (JobRunner.StatusCheckInterval)");
        Console.WriteLine($"  the queue may use {Budget:P0} of the primary; measured on {Environment.ProcessorCount} cores shared with the clients, so a dedicated primary does better (a lower bound)");
        Console.WriteLine("  previews and wake-ups go through Redis: no database cost");
        foreach (var (what, seconds) in new[] { ("the built-in model here", measuredJobSeconds), ("an SD 1.5 job on a GPU (assumed)", GpuJobSeconds) })
        {
            if (double.IsNaN(seconds))
            {
                continue;
            }

            var claimShare = 1 / seconds / claims.ClaimsPerSecond;
            var otherShare = (statusReadsPerSecond + (2 * (heartbeatsPerSecond + (1 / seconds)))) / reads.ClaimsPerSecond;
            var workers = Budget / (claimShare + otherShare);
            var first = otherShare > claimShare
                ? "the running jobs' status checks and writes (send cancels and lost claims through Redis or LISTEN, check less often)"
                : "the claim (partition the queue by model or worker pool, each partition claimed apart; or shard users)";
            Console.WriteLine($"jobs of {seconds:0.00} s ({what}): one worker takes {claimShare:P2} of the claim capacity and {otherShare:P2} of the statement capacity "
                + $"-> about {workers:0} workers per primary; split first: {first}");
        }
    }
}
