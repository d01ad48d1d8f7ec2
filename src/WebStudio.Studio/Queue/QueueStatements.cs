using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using WebStudio.Data;
using WebStudio.Data.Configurations;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The queue's few statements that EF cannot express, in one place, for SQLite and PostgreSQL. Identifiers are
/// quoted: PostgreSQL folds unquoted names to lower case, and SQLite accepts the quotes as well.
/// </summary>
internal static class QueueStatements
{
    /// <summary>Records that <paramref name="userId"/> was served at <paramref name="now"/>, and in
    /// <paramref name="round"/> (null for a job moved to the front, which ran outside the rounds), in one upsert. The
    /// round only grows: claims that commit out of order do not move the round being served back.</summary>
    public static Task MarkServedAsync(StudioDbContext db, string userId, DateTime now, long? round, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO \"UserQueueStates\" (\"UserId\", \"LastServedAt\", \"LastServedRound\") VALUES ({userId}, {now}, {round ?? 0L}) ON CONFLICT (\"UserId\") DO UPDATE SET \"LastServedAt\" = excluded.\"LastServedAt\", \"LastServedRound\" = GREATEST(\"UserQueueStates\".\"LastServedRound\", excluded.\"LastServedRound\")",
                cancellationToken)
            : db.Database.ExecuteSqlInterpolatedAsync( // SQLite's two-argument MAX is PostgreSQL's GREATEST
                $"INSERT INTO \"UserQueueStates\" (\"UserId\", \"LastServedAt\", \"LastServedRound\") VALUES ({userId}, {now}, {round ?? 0L}) ON CONFLICT (\"UserId\") DO UPDATE SET \"LastServedAt\" = excluded.\"LastServedAt\", \"LastServedRound\" = MAX(\"UserQueueStates\".\"LastServedRound\", excluded.\"LastServedRound\")",
                cancellationToken);

    /// <summary>
    /// PostgreSQL, inside the claim's transaction, on a row it holds locked: marks <paramref name="chosen"/> running
    /// for <paramref name="workerId"/> with a new claim token, records its owner as served, and returns the job, in one
    /// statement (one round trip instead of three). Null if the job is no longer queued.
    /// </summary>
    public static async Task<GenerationJob?> ClaimOnPostgresAsync(
        StudioDbContext db, ClaimCandidate chosen, string workerId, DateTime now, DateTime leaseEnd, CancellationToken cancellationToken)
    {
        var round = chosen.Priority > 0 ? 0L : chosen.Round; // a job moved to the front runs outside the rounds
        var rows = await db.Jobs.FromSqlInterpolated($"""
            WITH "claimed" AS (
                UPDATE "GenerationJobs" SET "Status" = 'Running', "StartedAt" = {now}, "WorkerId" = {workerId},
                    "LeaseExpiresAt" = {leaseEnd}, "ClaimToken" = "ClaimToken" + 1, "Attempts" = "Attempts" + 1
                WHERE "Id" = {chosen.Id} AND "Status" = 'Queued' RETURNING *),
            "served" AS (
                INSERT INTO "UserQueueStates" ("UserId", "LastServedAt", "LastServedRound")
                SELECT "OwnerId", {now}, {round} FROM "claimed"
                ON CONFLICT ("UserId") DO UPDATE SET "LastServedAt" = excluded."LastServedAt",
                    "LastServedRound" = GREATEST("UserQueueStates"."LastServedRound", excluded."LastServedRound"))
            SELECT * FROM "claimed"
            """).IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).AsNoTracking().ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>PostgreSQL, outside a transaction: the claim of the queue's head in one statement and one round trip
    /// (<see cref="QueueOrderSql.ClaimHeadInOneStatement"/>). Null: nothing taken (see there).</summary>
    public static async Task<GenerationJob?> ClaimHeadOnPostgresAsync(
        StudioDbContext db, QueuePolicy policy, WorkerModels models, bool takeAny, string workerId, DateTime now, DateTime leaseEnd, CancellationToken cancellationToken)
    {
        var parameters = new List<object>
        {
            new Npgsql.NpgsqlParameter("k", 1),
            new Npgsql.NpgsqlParameter("now", now),
            new Npgsql.NpgsqlParameter("worker", workerId),
            new Npgsql.NpgsqlParameter("lease_end", leaseEnd),
            new Npgsql.NpgsqlParameter("take_any", takeAny),
            new Npgsql.NpgsqlParameter("loaded", models.Loaded.ToArray()),
        };
        if (models.CanRun is not null)
        {
            parameters.Add(new Npgsql.NpgsqlParameter("models", models.CanRun.ToArray()));
        }

        var rows = await db.Jobs.FromSqlRaw(QueueOrderSql.ClaimHeadInOneStatement(policy, models.CanRun is not null), [.. parameters])
            .IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).AsNoTracking().ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>The round of a new job of <paramref name="userId"/> (<see cref="QueueOrderSql.SubmitRound"/>), inside
    /// the submission's transaction.</summary>
    public static async Task<long> NextRoundAsync(StudioDbContext db, string userId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(db, QueueOrderSql.SubmitRound);
        Add(command, "owner", userId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The claim's head (<see cref="QueueOrderSql.ClaimHead"/>): the first <paramref name="window"/> queued jobs in
    /// run order that a worker able to run <paramref name="models"/> (null: any) can take. On PostgreSQL, inside the
    /// caller's transaction, the rows stay locked until it ends.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimCandidate>> ReadClaimHeadAsync(
        StudioDbContext db, QueuePolicy policy, IReadOnlyCollection<string>? models, int window, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken); // outside a transaction (SQLite), it may be closed
        await using var command = Command(db, QueueOrderSql.ClaimHead(postgres, policy, models is not null));
        Add(command, "k", window);
        if (models is not null)
        {
            Add(command, "models", postgres ? models.ToArray() : System.Text.Json.JsonSerializer.Serialize(models));
        }

        var head = new List<ClaimCandidate>(window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            head.Add(new ClaimCandidate(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return head;
    }

    /// <summary>The viewer's queued jobs: their position in the run order and the estimated time of the work up to
    /// and including each, at <paramref name="rates"/> (<see cref="QueueOrderSql.ViewerPositions"/>), counting only jobs
    /// of the <paramref name="served"/> models (null: every job's).</summary>
    public static async Task<IReadOnlyList<(Guid Id, int Position, TimeSpan Work)>> ViewerPositionsAsync(
        StudioDbContext db, QueuePolicy policy, string userId, WorkRates rates, IReadOnlyCollection<string>? served, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var measured = rates.Rates.ToList();
        await using var command = Command(db, QueueOrderSql.ViewerPositions(policy, measured.Count, postgres, served is not null));
        Add(command, "owner", userId);
        if (served is not null)
        {
            Add(command, "models", postgres ? served.ToArray() : System.Text.Json.JsonSerializer.Serialize(served));
        }

        Add(command, "step", rates.Fallback.StepMs);
        Add(command, "rest", rates.Fallback.RestMs);
        for (var i = 0; i < measured.Count; i++)
        {
            Add(command, $"model{i}", measured[i].Key);
            Add(command, $"step{i}", measured[i].Value.StepMs);
            Add(command, $"rest{i}", measured[i].Value.RestMs);
        }

        var rows = new List<(Guid, int, TimeSpan)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(reader.GetDouble(2))));
        }

        return rows;
    }

    /// <summary>The rates of <paramref name="waiting"/>, the models that queued and running jobs use (read here when
    /// the caller has not read those jobs), each from its last <see cref="WorkRates.History"/> measured runs
    /// (<see cref="QueueOrderSql.RecentRuns"/>).</summary>
    public static async Task<WorkRates> ReadRatesAsync(StudioDbContext db, IReadOnlyCollection<string>? waiting, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var models = waiting?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (waiting is null)
        {
            await using var command = Command(db, QueueOrderSql.WaitingModels);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                models.Add(reader.GetString(0));
            }
        }

        var runs = new Dictionary<string, IReadOnlyList<FinishedRun>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            await using var command = Command(db, QueueOrderSql.RecentRuns);
            Add(command, "model", model);
            Add(command, "n", WorkRates.History);
            var list = new List<FinishedRun>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new FinishedRun(reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetDouble(1),
                    reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    reader.GetString(7)));
            }

            runs[model] = list;
        }

        var loads = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var model in runs.Keys)
        {
            await using var command = Command(db, QueueOrderSql.RecentLoads);
            Add(command, "model", model);
            Add(command, "n", WorkRates.LoadHistory);
            var times = new List<double>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                times.Add(reader.GetDouble(0));
            }

            if (times.Count > 0)
            {
                times.Sort();
                loads[model] = TimeSpan.FromMilliseconds(times[times.Count / 2]);
            }
        }

        return WorkRates.From(runs) with { Loads = loads };
    }

    /// <summary>The run position of each queued model's first job (<see cref="QueueOrderSql.FirstPositions"/>).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> FirstPositionsAsync(StudioDbContext db, QueuePolicy policy, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(db, QueueOrderSql.FirstPositions(policy));
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            first[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return first;
    }

    /// <summary>A command on the context's connection, in its current transaction, if any.</summary>
    private static System.Data.Common.DbCommand Command(StudioDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Inside a submission's transaction: makes concurrent submissions of one user wait for each other, so that
    /// the count of their queued jobs and the insert are not interleaved. SQLite needs nothing: its write
    /// transaction (BEGIN IMMEDIATE) already serialises every writer. PostgreSQL, under read committed, takes a
    /// transaction-scoped advisory lock keyed by the user.
    /// </summary>
    public static async Task LockSubmissionsAsync(StudioDbContext db, string userId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"webstudio.submit:" + userId}, 0))", cancellationToken);
        }
    }
}
