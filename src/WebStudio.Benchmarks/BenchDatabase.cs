using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebStudio.Data;
using WebStudio.Studio;
using WebStudio.Studio.Queue;

namespace WebStudio.Benchmarks;

/// <summary>
/// The studio core (the queue, no workers, no web) in the benchmark's own process on one database, as a web node or
/// worker would build it: for the claim measurements, and to read the jobs' times and workers after a run.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchDatabase(ServiceProvider services) => _services = services;

    public JobQueue Queue => _services.GetRequiredService<JobQueue>();

    /// <summary>Settings for a database: <c>Studio:Database</c> and its connection string or file.</summary>
    public static Dictionary<string, string?> Postgres(string connectionString) => new()
    {
        ["Studio:Database"] = "Postgres",
        ["Studio:ConnectionString"] = connectionString,
    };

    public static Dictionary<string, string?> Sqlite(string path) => new()
    {
        ["Studio:Database"] = "Sqlite",
        ["Studio:DatabasePath"] = path,
    };

    /// <summary>Opens (and creates or migrates) the database of <paramref name="database"/>.</summary>
    public static BenchDatabase Open(IDictionary<string, string?> database, string modelsPath)
    {
        var settings = new Dictionary<string, string?>(database)
        {
            ["Generation:ModelsPath"] = modelsPath,
            ["Generation:UseCuda"] = "false",
            ["Queue:SubmissionsPerMinute"] = "1000000",
            ["Queue:MaxQueuedPerUser"] = "1000000",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddStudioCore(configuration)
            .BuildServiceProvider();
        var bench = new BenchDatabase(services);
        using var db = bench.CreateDbContext();
        StudioDatabase.MigrateAndConfigure(db);
        return bench;
    }

    public StudioDbContext CreateDbContext() => _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();

    /// <summary>Users straight into the Identity table (the queue's rows reference them).</summary>
    public async Task<string[]> AddUsersAsync(int count, string prefix)
    {
        await using var db = CreateDbContext();
        var users = Enumerable.Range(0, count)
            .Select(i => new StudioUser { UserName = $"{prefix}{i}", NormalizedUserName = $"{prefix}{i}".ToUpperInvariant(), Email = $"{prefix}{i}@bench.test" })
            .ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return [.. users.Select(u => u.Id)];
    }

    public async Task<bool> AnyQueuedAsync()
    {
        await using var db = CreateDbContext();
        return await db.Jobs.AnyAsync(j => j.Status == JobStatus.Queued);
    }

    /// <summary>Whether any job is still queued or running.</summary>
    public async Task<bool> BusyAsync()
    {
        await using var db = CreateDbContext();
        return await db.Jobs.AnyAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running);
    }

    /// <summary>Waits until no job is queued or running (polling the database, which costs the servers nothing much).</summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await BusyAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"jobs were still queued or running after {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The ended jobs' times and workers.</summary>
    public async Task<IReadOnlyList<EndedJob>> EndedJobsAsync()
    {
        await using var db = CreateDbContext();
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.StartedAt != null && j.FinishedAt != null)
            .Select(j => new { j.Id, j.Status, j.WorkerId, j.CreatedAt, j.StartedAt, j.FinishedAt })
            .ToListAsync();
        return [.. rows.Select(r => new EndedJob(r.Id, r.Status, r.WorkerId ?? "", Utc(r.CreatedAt), Utc(r.StartedAt!.Value), Utc(r.FinishedAt!.Value)))];
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

/// <summary>A job that ran, as the database recorded it (UTC).</summary>
public sealed record EndedJob(Guid Id, JobStatus Status, string WorkerId, DateTime Created, DateTime Started, DateTime Finished);
