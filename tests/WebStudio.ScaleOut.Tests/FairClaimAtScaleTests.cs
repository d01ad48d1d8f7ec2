using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// Toward large scale: on a big jobs table (filled in SQL by <see cref="QueueFiller"/>), the claim's SQL and the
/// submission's round lookup and the ETAs' read of a model's recent runs (<see cref="QueueOrderSql"/>, the very text
/// the queue runs) read the queue's indexes,
/// never the whole table; and eight concurrent claimers take distinct jobs of the round being served, fast.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class FairClaimAtScaleTests(PostgresServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task On_postgres_the_claim_and_the_round_lookup_use_indexes_on_a_big_table()
    {
        await using var core = await StudioCore.StartAsync("Postgres", server);
        string connectionString;
        await using (var db = await core.CreateDbContextAsync())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        var clock = Stopwatch.StartNew();
        await QueueFiller.FillPostgresAsync(connectionString, jobs: 200_000, queued: 20_000, users: 2_000);
        output.WriteLine($"filled 200,000 jobs (20,000 queued, 2,000 users) in {clock.Elapsed.TotalSeconds:0.0} s");

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var (policy, index) in new[] { (QueuePolicy.Fair, "IX_GenerationJobs_QueuedFair"), (QueuePolicy.Fifo, "IX_GenerationJobs_QueuedFifo") })
            {
                foreach (var filterModels in new[] { false, true })
                {
                    var plan = await ExplainAsync(connection, "EXPLAIN " + QueueOrderSql.ClaimHead(postgres: true, policy, filterModels),
                        ("k", 4), ("models", new[] { "tiny" }));
                    output.WriteLine($"claim, {policy}, models {filterModels}:\n{plan}");
                    Assert.Contains($"Index Scan using \"{index}\" on \"GenerationJobs\"", plan, StringComparison.Ordinal);
                    // The pause's table holds at most one row: reading its one page is the planner's right choice.
                    Assert.DoesNotContain("Seq Scan", plan.Replace("Seq Scan on \"QueuePauses\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
                    Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
                }
            }

            // The database's own time for the claim's read, apart from the client and the machine's load.
            var analyzed = await ExplainAsync(connection, "EXPLAIN (ANALYZE, BUFFERS) " + QueueOrderSql.ClaimHead(postgres: true, QueuePolicy.Fair, filterModels: true),
                ("k", 4), ("models", new[] { "tiny" }));
            output.WriteLine($"claim head, executed:\n{analyzed}");

            var round = await ExplainAsync(connection, "EXPLAIN " + QueueOrderSql.SubmitRound, ("owner", "fill-7"));
            output.WriteLine($"round at submit:\n{round}");
            Assert.Contains("\"IX_GenerationJobs_QueuedOwnerRound\"", round, StringComparison.Ordinal);
            Assert.Contains("\"IX_UserQueueStates_LastServedRound\"", round, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", round, StringComparison.Ordinal);

            var runs = await ExplainAsync(connection, "EXPLAIN " + QueueOrderSql.RecentRuns, ("model", "tiny"), ("n", WorkRates.History));
            output.WriteLine($"a model's recent runs (ETAs):\n{runs}");
            Assert.Contains("Index Scan Backward using \"IX_GenerationJobs_MeasuredByModel\"", runs, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", runs, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", runs, StringComparison.Ordinal);

            var loads = await ExplainAsync(connection, "EXPLAIN " + QueueOrderSql.RecentLoads, ("model", "tiny"), ("n", WorkRates.LoadHistory));
            output.WriteLine($"a model's recent loads (ETAs):\n{loads}");
            Assert.Contains("\"IX_GenerationJobs_LoadsByModel\"", loads, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", loads, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", loads, StringComparison.Ordinal);
        }

        await EightWorkersClaimAsync(core, "Postgres", claims: 800);
    }

    [Fact]
    public async Task On_sqlite_the_claim_and_the_round_lookup_use_indexes_on_a_big_table()
    {
        await using var core = await StudioCore.StartAsync("Sqlite", server);
        string connectionString;
        await using (var db = await core.CreateDbContextAsync())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await QueueFiller.FillAsync(connection, postgres: false, jobs: 100_000, queued: 10_000, users: 1_000);
            foreach (var (policy, index) in new[] { (QueuePolicy.Fair, "IX_GenerationJobs_QueuedFair"), (QueuePolicy.Fifo, "IX_GenerationJobs_QueuedFifo") })
            {
                foreach (var filterModels in new[] { false, true })
                {
                    var plan = await ExplainAsync(connection, "EXPLAIN QUERY PLAN " + QueueOrderSql.ClaimHead(postgres: false, policy, filterModels),
                        ("k", 4), ("models", "[\"tiny\"]"));
                    output.WriteLine($"claim, {policy}, models {filterModels}:\n{plan}");
                    Assert.Contains($"GenerationJobs USING INDEX {index}", plan, StringComparison.Ordinal);
                    AssertNoTableScan(plan);
                    Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal); // no sort: the index is the order
                }
            }

            var round = await ExplainAsync(connection, "EXPLAIN QUERY PLAN " + QueueOrderSql.SubmitRound, ("owner", "fill-7"));
            output.WriteLine($"round at submit:\n{round}");
            Assert.Contains("IX_GenerationJobs_QueuedOwnerRound", round, StringComparison.Ordinal);
            Assert.Contains("IX_UserQueueStates_LastServedRound", round, StringComparison.Ordinal);
            AssertNoTableScan(round);

            var runs = await ExplainAsync(connection, "EXPLAIN QUERY PLAN " + QueueOrderSql.RecentRuns, ("model", "tiny"), ("n", WorkRates.History));
            output.WriteLine($"a model's recent runs (ETAs):\n{runs}");
            Assert.Contains("GenerationJobs USING INDEX IX_GenerationJobs_MeasuredByModel", runs, StringComparison.Ordinal);
            AssertNoTableScan(runs);
            Assert.DoesNotContain("TEMP B-TREE", runs, StringComparison.Ordinal);

            var loads = await ExplainAsync(connection, "EXPLAIN QUERY PLAN " + QueueOrderSql.RecentLoads, ("model", "tiny"), ("n", WorkRates.LoadHistory));
            output.WriteLine($"a model's recent loads (ETAs):\n{loads}");
            Assert.Contains("GenerationJobs USING INDEX IX_GenerationJobs_LoadsByModel", loads, StringComparison.Ordinal);
            AssertNoTableScan(loads);
            Assert.DoesNotContain("TEMP B-TREE", loads, StringComparison.Ordinal);
        }

        await EightWorkersClaimAsync(core, "Sqlite", claims: 400);
    }

    // A plan line "SCAN GenerationJobs" without "USING ... INDEX" reads every row of the table.
    private static void AssertNoTableScan(string plan) =>
        Assert.DoesNotContain(plan.Split('\n'), line => line.Contains("SCAN ", StringComparison.Ordinal) && !line.Contains("INDEX", StringComparison.Ordinal)
            && !line.Contains("json_each", StringComparison.Ordinal));

    /// <summary>Eight workers claim <paramref name="claims"/> jobs together: each once, all of the round being
    /// served (the filler's users have one job each in round 0), and the claim's latency is reported.</summary>
    private async Task EightWorkersClaimAsync(StudioCore core, string provider, int claims)
    {
        const int Workers = 8;
        var taken = new ConcurrentBag<Guid>();
        var latencies = new ConcurrentBag<double>();
        var models = new WorkerModels(["tiny"], ["tiny"]);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            await gate.Task;
            // Warm-up, not measured: each worker's first claim opens its pooled connection and compiles EF's queries.
            taken.Add((await core.Queue.ClaimNextAsync($"test/worker-{w}", models, CancellationToken.None))!.Id);
            while (taken.Count < claims)
            {
                var clock = Stopwatch.StartNew();
                var job = await core.Queue.ClaimNextAsync($"test/worker-{w}", models, CancellationToken.None);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                taken.Add(job!.Id);
            }
        })).ToList();
        gate.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(taken.Count, taken.Distinct().Count());
        await using (var db = await core.CreateDbContextAsync())
        {
            var ids = taken.ToList();
            Assert.Equal(0, await db.Jobs.CountAsync(j => ids.Contains(j.Id) && j.Round != 0));
        }

        var sorted = latencies.Order().ToArray();
        output.WriteLine($"{provider}: {Workers} workers, {sorted.Length} claims on the big table (after one warm-up claim each): p50 {Percentiles.Of(sorted, 50):0.0} ms, "
            + $"p99 {Percentiles.Of(sorted, 99):0.0} ms, max {sorted[^1]:0.0} ms");
    }

    private static async Task<string> ExplainAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters.Where(p => sql.Contains("@" + p.Name, StringComparison.Ordinal)))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // PostgreSQL: one column of text; SQLite: id, parent, notused, detail.
            lines.Add(reader.GetString(reader.FieldCount - 1));
        }

        return string.Join("\n", lines);
    }

}
