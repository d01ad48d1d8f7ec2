using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Usage;
using WebStudio.Testing;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 19, point 4: the administrator's usage page with 100 users and 100,000 finished jobs over the last 91 days
/// (written straight into the database). Measured: the report's query alone (database grouping by user or model and
/// day), and over loopback the page's HTML (prerendered with its tables and chart) and the CSV export.
/// </summary>
public static class UsagePageBenchmark
{
    private static readonly string[] Models = ["webstudio-shapes", "sd15-synth", "sd15-synth-fp16"];

    public static async Task RunAsync(string[] options)
    {
        var userCount = Int(options, "--users", 100);
        var jobCount = Int(options, "--jobs", 100_000);
        var runs = Int(options, "--runs", 7);
        var models = Path.GetFullPath(Option(options, "--models") ?? "models");
        var folder = Directory.CreateTempSubdirectory("webstudio-usage-bench").FullName;
        try
        {
            await using var server = await StudioBenchServer.StartAsync(folder, models, useCuda: false);
            using var admin = await StudioBenchUser.RegisterAsync(server.BaseAddress, $"admin-{Guid.NewGuid():N}@bench.test"); // the first account
            var databasePath = Path.Combine(folder, "studio.db");
            var seeded = Stopwatch.StartNew();
            await SeedAsync(databasePath, userCount, jobCount);
            Console.WriteLine($"seeded {userCount} users and {jobCount} finished jobs over 91 days in {seeded.Elapsed.TotalSeconds:0.0} s");

            var usage = new UsageMetering(new BenchDbFactory(databasePath));
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            foreach (var (days, period, grouping) in new[] { (28, UsagePeriod.Day, UsageGrouping.User), (91, UsagePeriod.Week, UsageGrouping.User), (91, UsagePeriod.Day, UsageGrouping.Model) })
            {
                var times = new List<double>();
                var rows = 0;
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    rows = (await usage.GetAsync(today.AddDays(1 - days), today, period, grouping)).Rows.Count;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                Console.WriteLine($"query, {days} days by {grouping.ToString().ToLowerInvariant()} and {period.ToString().ToLowerInvariant()}: {rows} rows; median {Percentiles.Of(times, 50):0.0} ms, max {times.Max():0.0} ms ({runs} runs)");
            }

            foreach (var path in new[] { "/admin/usage", "/admin/usage?period=week&group=model", $"/admin/usage?from={today.AddDays(-90):yyyy-MM-dd}&period=week", "/admin/usage.csv", $"/admin/usage.csv?from={today.AddDays(-90):yyyy-MM-dd}" })
            {
                var times = new List<double>();
                long bytes = 0;
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await admin.Http.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                Console.WriteLine($"GET {path}: {bytes / 1024.0:0} KiB; median {Percentiles.Of(times, 50):0.0} ms, max {times.Max():0.0} ms ({runs} runs)");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the temp folder is cleaned by the system.
            }
        }
    }

    private static async Task SeedAsync(string databasePath, int userCount, int jobCount)
    {
        await using var db = new BenchDbFactory(databasePath).CreateDbContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var users = Enumerable.Range(0, userCount).Select(i =>
        {
            var email = $"user{i:000}@bench.test";
            return new StudioUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString("N") };
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();

        var random = new Random(19);
        var end = DateTime.UtcNow;
        for (var batch = 0; batch < jobCount; batch += 5000)
        {
            for (var i = batch; i < Math.Min(jobCount, batch + 5000); i++)
            {
                var finished = end.AddSeconds(-random.Next(91 * 24 * 3600));
                var size = random.Next(2) == 0 ? 512 : 768;
                var owner = users[random.Next(users.Count)];
                var job = new GenerationJob
                {
                    OwnerId = owner.Id, Model = Models[random.Next(Models.Length)], Prompt = $"seeded {i}", Spec = "{}",
                    Status = random.Next(20) == 0 ? JobStatus.Failed : JobStatus.Succeeded, Steps = 20 + random.Next(31), Width = size, Height = size,
                    BatchSize = 1 + random.Next(4), CreatedAt = finished.AddSeconds(-30), StartedAt = finished.AddSeconds(-20), FinishedAt = finished,
                    TotalMs = 2000 + random.Next(20_000),
                };
                db.Jobs.Add(job);
                db.UsageRecords.Add(UsageRecord.Of(job, owner.UserName!)); // what the studio writes as each job ends

            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private sealed class BenchDbFactory(string databasePath) : IDbContextFactory<StudioDbContext>
    {
        public StudioDbContext CreateDbContext()
        {
            var builder = new DbContextOptionsBuilder<StudioDbContext>();
            builder.UseStudioSqlite(StudioDatabase.ConnectionString(databasePath));
            return new StudioDbContext(builder.Options);
        }
    }
}
