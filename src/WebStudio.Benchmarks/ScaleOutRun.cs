using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Tests.Shared;

using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>The scale-out benchmark's sections, in the order they run; each prints its figures and keeps what the estimate needs.</summary>
public sealed class ScaleOutRun(ScaleOutSettings settings, PostgresServer postgres, RedisServer redis, string folder, string modelsPath, Func<long, object> parameters)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private readonly List<double> _handOversAcrossNodes = [];
    private PreviewLatency.Sample? _previewsThroughRedis;
    private double _jobSeconds = double.NaN;
    private ClaimRun? _claimsAtScale;
    private ClaimRun? _readsAtScale;
    private long _seed = 10_000;

    private const int WarmUpJobsPerWorker = 10;

    /// <summary>1. Throughput with 1, 2 and 4 worker processes on PostgreSQL and Redis; hand-over across nodes; previews through Redis (with 1 worker).</summary>
    public async Task ThroughputAsync()
    {
        Section("1. throughput: one web node (Queue:RunJobs=false) + N worker processes, PostgreSQL + Redis");
        var perMinute = new Dictionary<int, double>();
        foreach (var workers in settings.WorkerCounts)
        {
            await using var database = await postgres.CreateDatabaseAsync();
            var store = BenchDatabase.Postgres(database.ConnectionString);
            await using var bench = BenchDatabase.Open(store, modelsPath);
            var prefix = $"scaleout-{workers}";
            await using var processes = new ScaleOutProcesses(Subfolder($"throughput-{workers}"), modelsPath, WithRedis(store, prefix));
            var web = await processes.StartWebAsync(runJobs: false);
            await processes.StartWorkersAsync(workers);
            var users = await TwoJobsLoad.RegisterUsersAsync(web, 8, $"w{workers}-");
            try
            {
                // Warm-up, not measured: the model's load, and .NET's tiering up of hot code, whose compiling thread
                // took part of a core through the first few dozen jobs of a fresh process (as in the makespan's
                // warm-up below) and showed up as 23-40 ms hand-overs when each worker had run only 2 jobs first.
                await SubmitAsync(users, WarmUpJobsPerWorker * workers);
                await bench.WaitUntilIdleAsync(RunTimeout);

                var measured = await SubmitAsync(users, settings.ThroughputJobs);
                await bench.WaitUntilIdleAsync(RunTimeout);
                var jobs = (await bench.EndedJobsAsync()).Where(j => measured.Contains(j.Id)).ToList();
                Check(jobs, measured.Count);
                var span = jobs.Max(j => j.Finished) - jobs.Min(j => j.Created);
                perMinute[workers] = jobs.Count / span.TotalMinutes;
                var handOvers = HandOvers.Ms(jobs);
                _handOversAcrossNodes.AddRange(handOvers);
                var running = jobs.Average(j => (j.Finished - j.Started).TotalSeconds);
                if (workers == 1)
                {
                    _jobSeconds = running;
                }

                var efficiency = perMinute[workers] / (workers * perMinute[settings.WorkerCounts[0]] / settings.WorkerCounts[0]);
                Console.WriteLine($"{workers} worker(s): {perMinute[workers]:0.0} jobs/min ({jobs.Count} jobs in {span.TotalSeconds:0.0} s, {running:0.000} s running each on average, "
                    + $"{jobs.Select(j => j.WorkerId).Distinct().Count()} workers used); scaling efficiency {efficiency:0.00}");
                Console.WriteLine($"  hand-over across nodes, {workers} worker(s): {HandOvers.Describe(handOvers)}");

                if (workers == 1)
                {
                    _previewsThroughRedis = await PreviewLatency.MeasureAsync(users[0], redis.Configuration, prefix, parameters, settings.PreviewJobs, NextSeeds(settings.PreviewJobs + 1));
                }
            }
            finally
            {
                Dispose(users);
            }
        }

        Console.WriteLine($"scaling efficiency = throughput_n / (n x throughput_1): {string.Join(", ", perMinute.Select(p => $"{p.Key}: {p.Value / (p.Key * perMinute[1]):0.00}"))} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"hand-over across nodes (worker processes on PostgreSQL, all runs): {HandOvers.Describe(_handOversAcrossNodes)}");
    }

    /// <summary>2. Preview delivery: through Redis (measured in the 1-worker cluster) against the in-process path.</summary>
    public async Task InProcessPreviewsAsync()
    {
        Section("2. preview delivery, publish -> SignalR client receipt (WatchJob), per step");
        // The in-process path: the web node runs the jobs itself. Redis is configured on it only so that the tap can
        // read the publish time that the relay stamps; its views are served from the node's own notifier.
        var store = BenchDatabase.Sqlite(Path.Combine(Subfolder("previews-local"), "studio.db"));
        const string prefix = "scaleout-local";
        await using var processes = new ScaleOutProcesses(Subfolder("previews-local"), modelsPath, WithRedis(store, prefix));
        var web = await processes.StartWebAsync(runJobs: true);
        using var user = await StudioBenchUser.RegisterAsync(web, "local@bench.test");
        await TwoJobsLoad.AloneAsync(user, parameters, NextSeeds(1), 1); // warm-up
        var local = await PreviewLatency.MeasureAsync(user, redis.Configuration, prefix, parameters, settings.PreviewJobs, NextSeeds(settings.PreviewJobs + 1));
        Console.WriteLine($"worker process -> Redis -> web node -> hub client: {_previewsThroughRedis?.Describe()}");
        Console.WriteLine($"in process (web node runs the job)  -> hub client: {local.Describe()}");
        Console.WriteLine("  (publish time: ProgressMessage.SentAtMs, whole milliseconds, stamped by the relay as the step's frame is published; receipt: the client's clock,");
        Console.WriteLine("   when its stream hands the frame over. Not received live: frames the one-frame buffer dropped, and through Redis those published before the node subscribed)");
    }

    /// <summary>3. Claim latency with 8 concurrent claimers on PostgreSQL.</summary>
    public async Task ClaimsAsync()
    {
        Section($"3. claim latency, {settings.Claimers} concurrent claimers on PostgreSQL (JobQueue.ClaimNextAsync, timed around each call)");
        await using var database = await postgres.CreateDatabaseAsync();
        await using var bench = BenchDatabase.Open(BenchDatabase.Postgres(database.ConnectionString), modelsPath);
        var users = await bench.AddUsersAsync(settings.ClaimUsers, "claim");
        for (var i = 0; i < settings.ClaimUsers * settings.ClaimJobsPerUser; i++)
        {
            var outcome = await bench.Queue.SubmitAsync(users[i % users.Length], Spec(NextSeeds(1)), null, JobSource.Api);
            _ = outcome.Job ?? throw new InvalidOperationException($"a claim job was refused: {outcome.Refusal}");
        }

        var claims = await ClaimLatency.MeasureAsync(bench, settings.Claimers, int.MaxValue, TimeSpan.FromMinutes(2));
        Console.WriteLine($"{settings.ClaimUsers} users x {settings.ClaimJobsPerUser} queued jobs, claimed to the end: {claims.Describe()}");
    }

    /// <summary>6. The claim at scale: a million jobs, 100,000 queued, 10,000 users.</summary>
    public async Task AtScaleAsync()
    {
        Section($"6. toward large scale: {settings.FillRows:N0} jobs, {settings.FillQueued:N0} queued, {settings.FillUsers:N0} users on PostgreSQL");
        await using var database = await postgres.CreateDatabaseAsync();
        await using var bench = BenchDatabase.Open(BenchDatabase.Postgres(database.ConnectionString), modelsPath);
        var fill = System.Diagnostics.Stopwatch.StartNew();
        await QueueFiller.FillPostgresAsync(database.ConnectionString, settings.FillRows, settings.FillQueued, settings.FillUsers);
        Console.WriteLine($"filled in {fill.Elapsed.TotalSeconds:0} s (the tests' QueueFiller: generate_series, then ANALYZE)");
        Console.WriteLine("the claim's statements as PostgreSQL ran them (auto_explain, with actual rows and buffers):");
        Console.WriteLine(Indent(await LargeQueue.ExplainOneClaimAsync(postgres, database, bench)));
        // Workers claim once a job: 8 claimers, each running its job (a wait of about a job's length) between claims.
        var paced = await ClaimLatency.MeasureAsync(bench, settings.Claimers, settings.ClaimsEachAtScale / 2, TimeSpan.FromSeconds(settings.Quick ? 10 : 60), settings.PacedJobLength);
        Console.WriteLine($"claim latency, {settings.Claimers} workers each running a job of ~{settings.PacedJobLength.TotalMilliseconds:0} ms (0.5-1.5x) between claims: {paced.Describe()}; p99 <= 10 ms: {(Percentiles.Of(paced.LatenciesMs, 99) <= 10 ? "PASS" : "FAIL")}");
        // And back to back: the claim rate one primary sustains (the estimate below), latency then being queueing.
        _claimsAtScale = await ClaimLatency.MeasureAsync(bench, settings.Claimers, settings.ClaimsEachAtScale, TimeSpan.FromSeconds(settings.Quick ? 10 : 60));
        Console.WriteLine($"claim latency, {settings.Claimers} claimers back to back (saturation): {_claimsAtScale.Describe()}");
        _readsAtScale = await LargeQueue.MeasureStatusReadsAsync(bench, settings.Claimers, settings.Quick ? 50 : 250);
        Console.WriteLine($"a running job's status check (indexed read by id), {settings.Claimers} readers: {_readsAtScale.Describe().Replace("claims", "reads")}");
    }

    /// <summary>5, 4 and 7. The 50 × 2 load on one node: 3 runs on SQLite (the ratio, hand-over on one node), then one on PostgreSQL.</summary>
    public async Task MakespanAsync()
    {
        Section($"5. {settings.LoadUsers} users x 2 jobs on one node (web app running jobs in process, SQLite, no Redis)");
        Console.WriteLine("makespan: the first submission to the last job's FinishedAt (its generation's end). The ideal: the number of jobs x the single-job time,");
        Console.WriteLine($"the mean submit -> FinishedAt of {settings.AloneJobs} jobs run alone in the queue (each submitted once the one before ended) on the same");
        Console.WriteLine("node, half just before each run and half just after. Both ends are stamped alike, so neither counts the last store; ratio = makespan / ideal.");
        var sqliteMakespans = new List<double>();
        var handOvers = new List<double>();
        await using (var processes = new ScaleOutProcesses(Subfolder("load-sqlite"), modelsPath, BenchDatabase.Sqlite(Path.Combine(Subfolder("load-sqlite"), "studio.db"))))
        {
            var web = await processes.StartWebAsync(runJobs: true);
            foreach (var (makespan, run) in await LoadRunsAsync(web, "sqlite", settings.MakespanRuns))
            {
                sqliteMakespans.Add(makespan);
                handOvers.AddRange(run.HandOversMs);
            }
        }

        Console.WriteLine($"4. hand-over on one node (SQLite, in process, all runs): {HandOvers.Describe(handOvers)}");
        Console.WriteLine($"4. hand-over across nodes (from 1.):                     {HandOvers.Describe(_handOversAcrossNodes)}");
        Console.WriteLine("  (a job's end is its FinishedAt, stamped when its generation ends; its images are then stored beside the next job, one store in flight a worker,");
        Console.WriteLine("   so a hand-over is the next claim, and a wake-up when the worker had gone idle)");

        Section($"7. {settings.LoadUsers} users x 2 jobs on one node on PostgreSQL (no Redis) / the same on SQLite");
        await using var database = await postgres.CreateDatabaseAsync();
        await using (var processes = new ScaleOutProcesses(Subfolder("load-postgres"), modelsPath, BenchDatabase.Postgres(database.ConnectionString)))
        {
            var web = await processes.StartWebAsync(runJobs: true);
            var (makespan, _) = (await LoadRunsAsync(web, "postgres", 1))[0];
            var sqlite = sqliteMakespans.Order().ElementAt(sqliteMakespans.Count / 2);
            Console.WriteLine($"makespan PostgreSQL {makespan:0.00} s / SQLite {sqlite:0.00} s (median of the runs above) = {makespan / sqlite:0.000}");
        }
    }

    /// <summary>The derived estimate: how many workers one PostgreSQL primary can serve, and what to split first.</summary>
    public void Estimate()
    {
        Section("estimate: workers one PostgreSQL primary can serve");
        if (_claimsAtScale is not { Claims: > 0 } claims || _readsAtScale is not { Claims: > 0 } reads)
        {
            Console.WriteLine("no estimate: the claims or reads at scale were not measured");
            return;
        }

        new PrimaryCapacity(claims, reads, _jobSeconds).Print();
    }

    private async Task<List<(double Makespan, LoadRun Run)>> LoadRunsAsync(Uri web, string name, int runs)
    {
        using var admin = await StudioBenchUser.RegisterAsync(web, $"{name}-admin@bench.test");
        var accounts = await TwoJobsLoad.RegisterUsersAsync(web, settings.LoadUsers, $"{name}-");
        try
        {
            // Warm-up, not counted: .NET tiers up hot code over the first few dozen calls, and with 10 jobs alone only,
            // the web node's tiered-compilation thread was still busy (0.4-0.9 of a core, sampled each second) through
            // the first load, and the alone jobs' means fell 0.129, 0.111, 0.114, 0.098, 0.097, 0.093 s across the
            // three runs. So 10 jobs alone, then one whole load, as the measured runs submit it.
            await TwoJobsLoad.AloneAsync(admin, parameters, NextSeeds(10), 10);
            var warmUp = await TwoJobsLoad.RunAsync(accounts, parameters, NextSeeds(2 * (settings.LoadUsers + 1)));
            Console.WriteLine($"{name} warm-up load (not counted): makespan {warmUp.Makespan:0.00} s");
            var results = new List<(double, LoadRun)>();
            for (var i = 1; i <= runs; i++)
            {
                // The ideal brackets the run: half the jobs alone just before it, half just after, so that the machine
                // speeding up or slowing down over the run (another process, the CPU's clock) moves both sides alike.
                var before = await TwoJobsLoad.AloneAsync(admin, parameters, NextSeeds(settings.AloneJobs), (settings.AloneJobs + 1) / 2);
                var run = await TwoJobsLoad.RunAsync(accounts, parameters, NextSeeds(2 * (settings.LoadUsers + 1)));
                var after = await TwoJobsLoad.AloneAsync(admin, parameters, NextSeeds(settings.AloneJobs), settings.AloneJobs / 2);
                var alone = before.Concat(after).ToList();
                var single = TwoJobsLoad.SingleJobSeconds(alone);
                var busy = run.Jobs.Sum(j => j.Job.RunSeconds);
                Console.WriteLine($"{name} run {i}: makespan {run.Makespan:0.00} s; single job {single:0.000} s (mean of {alone.Count} alone: {before.Count} just before this run, {after.Count} just after; "
                    + $"means {TwoJobsLoad.SingleJobSeconds(before):0.000} / {TwoJobsLoad.SingleJobSeconds(after):0.000} s); "
                    + $"makespan / sum of single-job times = {run.Ratio(single):0.000} (goal <= 1.05: {(run.Ratio(single) <= 1.05 ? "PASS" : "FAIL")}; "
                    + $"{run.Ratio(TwoJobsLoad.MedianSingleJobSeconds(alone)):0.000} with the median single job); "
                    + $"/ the same jobs' running times = {run.Makespan / busy:0.000}");
                // Where a ratio above 1 comes from: the queue (makespan over running times, above) or the jobs themselves
                // running slower under the load than alone (claim to end, medians).
                Console.WriteLine($"  running (claim -> end), median: alone {Percentiles.Median(alone.Select(j => j.RunSeconds).ToList()):0.000} s, "
                    + $"under the load {Percentiles.Median(run.Jobs.Select(j => j.Job.RunSeconds).ToList()):0.000} s");
                results.Add((run.Makespan, run));
            }

            return results;
        }
        finally
        {
            Dispose(accounts);
        }
    }

    // All users at once, each its share in turn: the queue fills faster than the workers empty it.
    private async Task<HashSet<Guid>> SubmitAsync(StudioBenchUser[] users, int count)
    {
        var seed = NextSeeds(count);
        var perUser = await Task.WhenAll(users.Select(async (user, u) =>
        {
            var mine = new List<Guid>();
            for (var i = u; i < count; i += users.Length)
            {
                mine.Add(await user.SubmitAsync(parameters(seed + i)));
            }

            return mine;
        }));
        return [.. perUser.SelectMany(ids => ids)];
    }

    private static void Check(IReadOnlyCollection<EndedJob> jobs, int expected)
    {
        if (jobs.Count != expected || jobs.Any(j => j.Status != JobStatus.Succeeded))
        {
            throw new InvalidOperationException($"{jobs.Count(j => j.Status == JobStatus.Succeeded)} of {expected} jobs succeeded");
        }
    }

    private Dictionary<string, string?> WithRedis(Dictionary<string, string?> store, string prefix) => new(store)
    {
        ["Redis:Configuration"] = redis.Configuration,
        ["Redis:Prefix"] = prefix,
    };

    private JobSpec.Txt2Img Spec(long seed) => new()
    {
        Prompt = "a red circle above a blue square",
        Model = "webstudio-shapes",
        Scheduler = "Euler a",
        Steps = settings.Steps,
        Guidance = 7,
        Seed = seed,
        Width = 128,
        Height = 128,
    };

    private long NextSeeds(int count)
    {
        var first = _seed;
        _seed += count;
        return first;
    }

    private string Subfolder(string name) => Directory.CreateDirectory(Path.Combine(folder, name)).FullName;

    private static void Dispose(IEnumerable<StudioBenchUser> users)
    {
        foreach (var user in users)
        {
            user.Dispose();
        }
    }

    // Long lines (an array of every user id) are cut: the plan is what matters.
    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + (l.Length > 240 ? l[..240] + " …" : l)));

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
    }
}
