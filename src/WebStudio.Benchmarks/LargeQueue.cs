using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebStudio.Data;
using WebStudio.Tests.Shared;

namespace WebStudio.Benchmarks;

/// <summary>
/// The queue at scale on PostgreSQL: the plans of the claim's statements as the server ran them, and the cost of the
/// indexed read that every running job makes twice a second (its status and claim check).
/// </summary>
public static class LargeQueue
{
    /// <summary>
    /// Runs one claim with auto_explain on for the database (every statement's plan, with actual rows, written to
    /// the server's log) and returns those plans: whatever SQL the claim runs today is what is shown.
    /// </summary>
    public static async Task<string> ExplainOneClaimAsync(PostgresServer server, PostgresDatabase database, BenchDatabase bench)
    {
        await SetForDatabaseAsync(server, database, [
            "session_preload_libraries = 'auto_explain'",
            "auto_explain.log_min_duration = 0",
            "auto_explain.log_analyze = on",
            "auto_explain.log_buffers = on",
            "auto_explain.log_nested_statements = on",
        ]);
        var offset = new FileInfo(server.LogPath).Length;
        try
        {
            var clock = Stopwatch.StartNew();
            var job = await bench.Queue.ClaimNextAsync("bench/explain", CancellationToken.None);
            var took = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(200); // the log is written by the server process
            return $"(one claim, {(job is null ? "no job" : "a job")} in {took:0.0} ms with the plans being logged)\n" + ReadFrom(server.LogPath, offset);
        }
        finally
        {
            await SetForDatabaseAsync(server, database, ["session_preload_libraries = ''"], reset: true);
        }
    }

    /// <summary>Indexed reads by primary key, as a running job's status check makes them, from <paramref name="readers"/> tasks.</summary>
    public static async Task<ClaimRun> MeasureStatusReadsAsync(BenchDatabase bench, int readers, int readsEach)
    {
        List<(Guid Id, long Token)> running;
        await using (var db = bench.CreateDbContext())
        {
            running = (await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running).Take(64)
                .Select(j => new { j.Id, j.ClaimToken }).ToListAsync()).Select(j => (j.Id, j.ClaimToken)).ToList();
        }

        if (running.Count == 0)
        {
            return new ClaimRun([], 0, 1, readers);
        }

        var latencies = new ConcurrentBag<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            for (var i = 0; i < readsEach; i++)
            {
                var (id, token) = running[(r + (i * readers)) % running.Count];
                var clock = Stopwatch.StartNew();
                await using var db = bench.CreateDbContext();
                await db.Jobs.AnyAsync(j => j.Id == id && j.ClaimToken == token && j.Status == JobStatus.Running);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        })));
        return new ClaimRun([.. latencies], readers * readsEach, wall.Elapsed.TotalSeconds, readers);
    }

    private static async Task SetForDatabaseAsync(PostgresServer server, PostgresDatabase database, string[] settings, bool reset = false)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        var statements = reset
            ? new[] { $"ALTER DATABASE \"{database.Name}\" RESET ALL" }
            : settings.Select(s => $"ALTER DATABASE \"{database.Name}\" SET {s}").ToArray();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        // Settings apply to new sessions only: the pooled ones go.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(database.ConnectionString));
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().TrimEnd();
    }
}
