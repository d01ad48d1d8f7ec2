using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static WebStudio.Benchmarks.BenchArgs;

using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>
/// The soak of the hardening issue: the real server process on loopback with simulated users who submit a job,
/// wait for it and submit the next, some of them watching every preview over SignalR, while a probe times
/// GET / as a logged-in browser would. Every loop is bounded by the duration; it prints figures and asserts nothing.
/// </summary>
public static class SoakBenchmark
{
    private const string Prompt = "a red circle above a blue square";

    public static async Task RunAsync(string[] args)
    {
        var userCount = Int(args, "--users", 50);
        var watching = Int(args, "--watchers", 10);
        var minutes = double.Parse(Option(args, "--minutes") ?? "10", CultureInfo.InvariantCulture);
        var steps = Int(args, "--steps", 20);
        var duration = TimeSpan.FromMinutes(minutes);

        var folder = Directory.CreateTempSubdirectory("webstudio-soak-").FullName;
        var (modelsPath, model, native) = BenchModels.BuiltIn();
        object Parameters(long seed) => new { prompt = Prompt, model, scheduler = "Euler a", steps, guidance = 7, seed, width = native, height = native, batchSize = 1 };

        Console.WriteLine($"# Soak ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine($"server: {StudioBenchServer.ServerDll} on loopback, CPU, {Environment.ProcessorCount} cores shared with the clients");
        Console.WriteLine($"load: {userCount} users each submitting a job and waiting for it, {watching} of them watching previews; {model} {native}x{native}, {steps} steps; {minutes:0.#} min");

        await using var server = await StudioBenchServer.StartAsync(folder, modelsPath, useCuda: false);
        // The first account (the administrator) alone, as a team starts; the rest at once.
        var users = new StudioBenchUser[userCount];
        users[0] = await StudioBenchUser.RegisterAsync(server.BaseAddress, "soak00@bench.test");
        await Parallel.ForAsync(1, userCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            users[i] = await StudioBenchUser.RegisterAsync(server.BaseAddress, $"soak{i:00}@bench.test"));
        var hubs = await Task.WhenAll(users.Take(watching).Select(u => u.ConnectHubAsync()));

        var errors = new ConcurrentDictionary<string, int>();
        void Error(string what) => errors.AddOrUpdate(what, 1, (_, n) => n + 1);
        var done = 0;
        var frames = 0L;
        var pageLatencies = new ConcurrentBag<double>();
        var rss = new List<(double Minute, double MiB)>();

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var workers = Enumerable.Range(0, userCount).Select(async u =>
        {
            var seed = u * 100_000L;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var id = await users[u].SubmitAsync(Parameters(seed++));
                    var watch = u < watching ? CountFramesAsync(hubs[u], id, n => Interlocked.Add(ref frames, n)) : Task.CompletedTask;
                    await users[u].WaitForEndAsync(id, 500);
                    await watch;
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or HubException or TaskCanceledException)
                {
                    Error(e.GetType().Name + ": " + Truncate(e.Message));
                    await Task.Delay(1000);
                }
            }
        }).ToList();

        // A logged-in browser opening the Generate page twice a second.
        var probe = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await users[0].Http.GetAsync("/");
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Error($"GET / answered {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException e)
                {
                    Error("GET /: " + Truncate(e.Message));
                }

                pageLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(500);
            }
        });

        // Memory at each whole minute (the issue asks for minutes 1 and 10).
        var sampler = Task.Run(async () =>
        {
            for (var minute = 1; minute <= Math.Ceiling(minutes); minute++)
            {
                var at = TimeSpan.FromMinutes(Math.Min(minute, minutes)) - TimeSpan.FromSeconds(1);
                var wait = at - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                lock (rss)
                {
                    rss.Add((Math.Min(minute, minutes), server.ResidentMiB()));
                }
            }
        });

        await Task.WhenAll(workers.Append(probe).Append(sampler));
        var elapsedMinutes = clock.Elapsed.TotalMinutes;
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        var sorted = pageLatencies.Order().ToList();
        Console.WriteLine();
        Console.WriteLine($"jobs done: {done} in {elapsedMinutes:0.0} min = {done / elapsedMinutes:0.0} jobs/min; preview frames received by watchers: {frames}");
        Console.WriteLine($"GET / (logged in, {sorted.Count} samples): p50 {Percentiles.Of(sorted, 50):0} ms, p99 {Percentiles.Of(sorted, 99):0} ms, max {sorted.LastOrDefault():0} ms");
        Console.WriteLine("server RSS: " + string.Join(", ", rss.Select(r => $"minute {r.Minute:0.#} {r.MiB:0} MiB")));
        Console.WriteLine($"errors: {errors.Values.Sum()}" + string.Concat(errors.Select(e => $"\n  {e.Value} x {e.Key}")));

        foreach (var user in users)
        {
            user.Dispose();
        }

        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Follows one job's preview stream to its end and reports how many frames carried a picture.</summary>
    private static async Task CountFramesAsync(HubConnection hub, Guid jobId, Action<int> add)
    {
        var stream = await hub.StreamAsChannelAsync<BenchFrame>("WatchJob", jobId);
        var count = 0;
        await foreach (var frame in stream.ReadAllAsync())
        {
            count += frame.Png is null ? 0 : 1;
        }

        add(count);
    }

    private static string Truncate(string message) => message.Length <= 120 ? message : message[..120] + "…";
}
