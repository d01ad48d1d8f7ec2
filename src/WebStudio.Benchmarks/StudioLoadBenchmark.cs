using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using WebStudio.Testing;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// The studio under load, over loopback against the real server process: simulated users register and submit
/// jobs over HTTP (cookie auth), watchers follow previews with the SignalR .NET client, and 50 Blazor circuits are
/// opened in headless chromium for the memory figure. Prints figures; asserts nothing.
/// </summary>
public static class StudioLoadBenchmark
{
    private const string Prompt = "a red circle above a blue square";

    public static async Task RunAsync(string[] args)
    {
        var users = Int(args, "--users", 50);
        var watching = Int(args, "--watchers", 10);
        var circuitCount = Int(args, "--circuits", 50);
        var rounds = Int(args, "--rounds", 20);
        var cuda = args.Contains("--cuda");

        var total = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("webstudio-studio-bench-").FullName;
        var (modelsPath, model, native) = BenchModels.BuiltIn();
        var steps = Int(args, "--steps", 20);
        var size = Int(args, "--size", native);
        object Parameters(long seed) => new { prompt = Prompt, model, scheduler = "Euler a", steps, guidance = 7, seed, width = size, height = size, batchSize = 1 };

        Console.WriteLine($"# Studio load benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine($"server: {StudioBenchServer.ServerDll} on loopback, {(cuda ? "CUDA requested" : "CPU")}, {Environment.ProcessorCount} cores (shared with the clients)");
        Console.WriteLine($"model: {model} ({modelsPath}), {size}x{size}, {steps} steps, Euler a, CFG 7, batch 1");
        Console.WriteLine($"load: {users} users x 2 jobs, {watching} of them watching previews over SignalR; {circuitCount} circuits for memory");
        Console.WriteLine();

        await using var server = await StudioBenchServer.StartAsync(folder, modelsPath, cuda, Option(args, "--server"));
        using var admin = await StudioBenchUser.RegisterAsync(server.BaseAddress, "bench-admin@bench.test");

        // Warm-up (model load, JIT), not measured.
        for (var i = 0; i < 2; i++)
        {
            await admin.WaitForEndAsync(await admin.SubmitAsync(Parameters(i)));
        }

        if (args.Contains("--circuits-only"))
        {
            // Only the memory per circuit; the Generate pages show the warm-up's last job with its image.
            await CircuitMemory.RunAsync(server.ProcessId, server.BaseAddress, admin.Email, StudioBenchUser.Password, circuitCount, args.Contains("--by-type"));
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            return;
        }

        if (args.Contains("--watchers-only"))
        {
            // Only the watcher section: the cost of previews to watchers, and the first preview's latency.
            await WatcherOverheadAsync(admin, watching, rounds, Parameters);
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            return;
        }

        // Single jobs, alone in the queue.
        var alone = await TwoJobsLoad.AloneAsync(admin, Parameters, 100, 20);
        var single = TwoJobsLoad.SingleJobSeconds(alone);
        Console.WriteLine($"single job alone: {single:0.000} s submit→finished (mean of {alone.Count}; median {TwoJobsLoad.MedianSingleJobSeconds(alone):0.000} s), {alone.Average(j => j.RunSeconds):0.000} s running (mean)");

        await WatcherOverheadAsync(admin, watching, rounds, Parameters);

        // The load: every user submits two jobs back to back, all users at once.
        var accounts = await TwoJobsLoad.RegisterUsersAsync(server.BaseAddress, users);
        var hubs = await Task.WhenAll(accounts.Take(watching).Select(a => a.ConnectHubAsync()));
        var firstPreview = new ConcurrentBag<(Guid Job, DateTime At)>();
        var watches = new ConcurrentBag<Task>();
        var run = await TwoJobsLoad.RunAsync(accounts, Parameters, 1000, (u, id) =>
        {
            if (u < watching)
            {
                watches.Add(WatchAsync(hubs[u], id, firstPreview));
            }
        });
        await Task.WhenAll(watches);
        var jobs = run.Jobs;

        var makespan = run.Makespan;
        Console.WriteLine();
        Console.WriteLine($"## {users} users x 2 jobs");
        Console.WriteLine($"makespan {makespan:0.00} s; sum of single-job times {jobs.Count} x {single:0.000} = {jobs.Count * single:0.00} s");
        Console.WriteLine($"makespan / sum of single-job times = {run.Ratio(single):0.000} (goal <= 1.05)");

        // Robust to drift in machine load between the alone runs and the load run: the same jobs' own running times.
        var busy = jobs.Sum(j => j.Job.RunSeconds);
        Console.WriteLine($"makespan / sum of the same jobs' running times = {makespan / busy:0.000} (queue idle and hand-over overhead; {busy:0.00} s running, {busy / jobs.Count / steps * 1000:0} ms a step)");

        var order = run.StartOrder.ToList();
        var lastFirst = order.FindLastIndex(j => j.Nth == 1);
        var firstSecond = order.FindIndex(j => j.Nth == 2);
        Console.WriteLine($"start order: every user's first job before any user's second: {(lastFirst < firstSecond ? "PASS" : "FAIL")} (last first job started {lastFirst + 1}th, first second job {firstSecond + 1}th)");
        Console.WriteLine("  " + string.Join(' ', order.Select(j => $"u{j.User:00}#{j.Nth}")));

        var gaps = run.HandOversMs;
        Console.WriteLine($"hand-over between consecutive jobs (next start - previous finish): median {Percentiles.Median(gaps):0} ms, mean {gaps.Average():0} ms, max {gaps.Max():0} ms");

        var watchedIds = jobs.Where(j => j.User < watching).Select(j => j.Job.Id).ToHashSet();
        Console.WriteLine($"running time, watched jobs {jobs.Where(j => watchedIds.Contains(j.Job.Id)).Average(j => j.Job.RunSeconds):0.000} s vs unwatched {jobs.Where(j => !watchedIds.Contains(j.Job.Id)).Average(j => j.Job.RunSeconds):0.000} s (same run)");
        var latencies = firstPreview.Select(p => (p.At - jobs.First(j => j.Job.Id == p.Job).Job.Started).TotalMilliseconds).Order().ToList();
        PrintLatencies("job start -> first preview at a watching client (load run)", latencies);

        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        // Memory with open circuits.
        await CircuitMemory.RunAsync(server.ProcessId, server.BaseAddress, accounts[0].Email, StudioBenchUser.Password, circuitCount, args.Contains("--by-type"));

        foreach (var account in accounts)
        {
            account.Dispose();
        }

        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
        Console.WriteLine();
        Console.WriteLine($"total benchmark time {total.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>
    /// The same job with 10 watchers and with none, in pairs queued together (the watched one second in even rounds
    /// and first in odd ones, ABBA), so that drift in machine load cancels within each pair. The figure is the
    /// pairs' own ratios (median and geometric mean), not a ratio of two means that one slow job can swing. A first
    /// watched pair warms the hub's streaming path and is not counted.
    /// </summary>
    private static async Task WatcherOverheadAsync(StudioBenchUser admin, int watching, int rounds, Func<long, object> parameters)
    {
        var hubs = await Task.WhenAll(Enumerable.Range(0, watching).Select(_ => admin.ConnectHubAsync()));
        var with = new List<double>();
        var without = new List<double>();
        var firstPreview = new ConcurrentBag<(Guid Job, DateTime At)>();
        var started = new Dictionary<Guid, DateTime>();
        var loadBefore = LoadAverage();
        for (var round = -1; round < rounds; round++)
        {
            var watchedFirst = round % 2 != 0;
            var firstId = await admin.SubmitAsync(parameters(200 + round));
            var secondId = await admin.SubmitAsync(parameters(300 + round));
            var (plain, id) = watchedFirst ? (secondId, firstId) : (firstId, secondId);
            var streams = hubs.Select(h => WatchAsync(h, id, round < 0 ? new() : firstPreview)).ToList();
            var job = await admin.WaitForEndAsync(id);
            var plainJob = await admin.WaitForEndAsync(plain);
            await Task.WhenAll(streams);
            if (round < 0)
            {
                continue; // warm-up
            }

            with.Add(job.RunSeconds);
            without.Add(plainJob.RunSeconds);
            started[id] = job.Started;
        }

        var ratios = with.Zip(without, (w, n) => w / n).ToList();
        Console.WriteLine();
        Console.WriteLine($"## previews: {watching} watchers vs none ({rounds} interleaved pairs after one warm-up pair)");
        Console.WriteLine($"load average (1 min) {loadBefore} before, {LoadAverage()} after, on {Environment.ProcessorCount} cores");
        Console.WriteLine($"running time with {watching} watchers {with.Average():0.000} s, with none {without.Average():0.000} s");
        Console.WriteLine($"generation time with {watching} watchers / with none, per pair: median {Percentiles.Median(ratios):0.000}, geometric mean {Math.Exp(ratios.Average(Math.Log)):0.000} (goal <= 1.03); ratio of means {with.Average() / without.Average():0.000}");
        Console.WriteLine("  pairs: " + string.Join(' ', ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))));
        PrintLatencies("job start -> first preview at a watching client", firstPreview.Select(p => (p.At - started[p.Job]).TotalMilliseconds).Order().ToList());
        // The same per job: when its first watcher got the picture, and how long the last of its watchers waited after.
        var perJob = firstPreview.GroupBy(p => p.Job).Select(g => (First: (g.Min(p => p.At) - started[g.Key]).TotalMilliseconds, Spread: (g.Max(p => p.At) - g.Min(p => p.At)).TotalMilliseconds)).ToList();
        Console.WriteLine($"  per job, the first of its watchers: {Percentiles.Describe([.. perJob.Select(j => j.First)], "0")}; the last one after it: {Percentiles.Describe([.. perJob.Select(j => j.Spread)], "0")}");
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Follows a job's preview stream to its end; records when the first frame with a picture arrived.</summary>
    private static async Task WatchAsync(HubConnection hub, Guid jobId, ConcurrentBag<(Guid Job, DateTime At)> firstPreview)
    {
        var stream = await hub.StreamAsChannelAsync<BenchFrame>("WatchJob", jobId);
        var attachedBeforeStart = false;
        var first = true;
        var seen = false;
        await foreach (var frame in stream.ReadAllAsync())
        {
            if (first)
            {
                // Only a watcher that was there before the job started measures start→first preview.
                attachedBeforeStart = frame.Status == "Queued";
                first = false;
            }

            if (frame.Png is not null && !seen)
            {
                seen = true;
                if (attachedBeforeStart)
                {
                    firstPreview.Add((jobId, DateTime.UtcNow));
                }
            }
        }
    }

    private static void PrintLatencies(string what, IReadOnlyList<double> ms)
    {
        Console.WriteLine(ms.Count == 0
            ? $"{what}: no sample (no watcher was attached before a job started)"
            : $"{what}: median {Percentiles.Median(ms):0} ms, max {ms.Max():0} ms ({ms.Count} samples)");
    }
}
