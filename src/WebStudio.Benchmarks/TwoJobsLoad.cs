using System.Collections.Concurrent;
using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>One job of the two-jobs load: its server-side times, its user, and whether it was the user's 1st or 2nd.</summary>
public sealed record LoadJob(BenchJob Job, int User, int Nth);

/// <summary>The outcome of one two-jobs load.</summary>
public sealed record LoadRun(IReadOnlyList<LoadJob> Jobs)
{
    /// <summary>From the first submission to the last finish, in seconds.</summary>
    public double Makespan => (Jobs.Max(j => j.Job.Finished) - Jobs.Min(j => j.Job.Created)).TotalSeconds;

    /// <summary>The figure: makespan over the ideal, the sum of single-job times (<see cref="TwoJobsLoad.SingleJobSeconds"/>; goal at most 1.05).</summary>
    public double Ratio(double singleJobSeconds) => Makespan / (Jobs.Count * singleJobSeconds);

    /// <summary>In start order.</summary>
    public IReadOnlyList<LoadJob> StartOrder => [.. Jobs.OrderBy(j => j.Job.Started)];

    /// <summary>Next start minus previous finish between consecutive jobs (one worker: each job waits for the one before).</summary>
    public IReadOnlyList<double> HandOversMs
    {
        get
        {
            var order = StartOrder;
            return [.. order.Zip(order.Skip(1), (a, b) => (b.Job.Started - a.Job.Finished).TotalMilliseconds)];
        }
    }
}

/// <summary>
/// The studio benchmark's load, shared by the studio and scale-out benchmarks: every user submits two jobs back to
/// back, all users at once, over the studio's HTTP API; compared with the same jobs' time alone in the queue.
/// </summary>
public static class TwoJobsLoad
{
    public static async Task<StudioBenchUser[]> RegisterUsersAsync(Uri baseAddress, int users, string prefix = "user")
    {
        var accounts = new StudioBenchUser[users];
        await Parallel.ForAsync(0, users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            accounts[i] = await StudioBenchUser.RegisterAsync(baseAddress, $"{prefix}{i:00}@bench.test"));
        return accounts;
    }

    /// <summary><paramref name="count"/> jobs one after another, each alone in the queue.</summary>
    public static async Task<IReadOnlyList<BenchJob>> AloneAsync(StudioBenchUser user, Func<long, object> parameters, long firstSeed, int count)
    {
        var alone = new List<BenchJob>();
        for (var i = 0; i < count; i++)
        {
            alone.Add(await user.WaitForEndAsync(await user.SubmitAsync(parameters(firstSeed + i))));
        }

        return alone;
    }

    /// <summary>
    /// The "single-job time" of the ratio: the mean submit→finished time of jobs alone in the queue (each submitted once
    /// the one before has ended). The makespan adds up every job of the load, the slow ones too (a garbage collection,
    /// another process), so the ideal is a sum of the same kind: the number of jobs times the mean. A median, used
    /// before, left the alone jobs' slow tail out of the ideal and kept the load's in the makespan.
    /// </summary>
    public static double SingleJobSeconds(IEnumerable<BenchJob> alone) => alone.Average(SubmitToFinished);

    /// <summary>The median submit→finished time of jobs alone, printed beside the mean.</summary>
    public static double MedianSingleJobSeconds(IEnumerable<BenchJob> alone) => Percentiles.Median(alone.Select(SubmitToFinished).ToList());

    private static double SubmitToFinished(BenchJob job) => (job.Finished - job.Created).TotalSeconds;

    /// <summary>
    /// The load: each account submits two jobs back to back, all at once; waits for all of them to end.
    /// <paramref name="submitted"/> hears of each job as it is queued (user index, job id).
    /// </summary>
    public static async Task<LoadRun> RunAsync(IReadOnlyList<StudioBenchUser> accounts, Func<long, object> parameters, long firstSeed, Action<int, Guid>? submitted = null)
    {
        var jobs = new ConcurrentDictionary<Guid, (int User, int Nth)>();
        var go = new TaskCompletionSource();
        var clients = Enumerable.Range(0, accounts.Count).Select(async u =>
        {
            await go.Task;
            for (var nth = 1; nth <= 2; nth++)
            {
                var id = await accounts[u].SubmitAsync(parameters(firstSeed + (u * 2) + nth));
                jobs[id] = (u, nth);
                submitted?.Invoke(u, id);
            }
        }).ToList();
        go.SetResult();
        await Task.WhenAll(clients);

        // The ends are read one job at a time, in submission order, each polled every 2 s: the figures are the server's
        // own stamps, so how soon the benchmark hears of an end changes nothing. A poll per job every 2 s (50 requests a
        // second for the 100 jobs) took CPU from the jobs on this 2-core machine, as queue overhead that a studio, whose
        // pages are pushed to, has not.
        var ended = new List<LoadJob>();
        foreach (var (id, (user, nth)) in jobs.OrderBy(j => j.Value.Nth).ThenBy(j => j.Value.User))
        {
            ended.Add(new LoadJob(await accounts[user].WaitForEndAsync(id, 2000), user, nth));
        }

        return new LoadRun(ended);
    }
}
