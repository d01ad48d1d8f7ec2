using System.Data.Common;

namespace WebStudio.Tests.Shared;

/// <summary>
/// Fills a migrated studio database with a large queue in a few SQL statements (no rows pass through .NET): users
/// "fill-0".."fill-{users-1}", and <c>jobs</c> jobs of which the first <c>queued</c> are queued, owned round-robin by
/// those users, with the fair rounds a submission would have given them (a user's n-th queued job is in round n-1);
/// the rest have succeeded, in 2 s each. Every user has a fairness state (served in round 0, so round 0 is being served). Model
/// "tiny", text-to-image. Then ANALYZE, so the planner knows the table's size. For the scale tests and the benchmark:
/// e.g. 1,000,000 jobs, 100,000 queued, 10,000 users on PostgreSQL.
/// </summary>
public static class QueueFiller
{
    /// <summary>Fills the PostgreSQL database at <paramref name="connectionString"/> (migrated, no users named fill-*).</summary>
    public static async Task FillPostgresAsync(string connectionString, int jobs, int queued, int users, CancellationToken cancellationToken = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await FillAsync(connection, postgres: true, jobs, queued, users, cancellationToken);
    }

    /// <summary>Fills the open connection's database, PostgreSQL or SQLite (<paramref name="postgres"/>).</summary>
    public static async Task FillAsync(DbConnection connection, bool postgres, int jobs, int queued, int users, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(queued, jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        // PostgreSQL counts with generate_series; SQLite with a recursive CTE. Ids are what EF writes on each
        // (uuid; upper-case text with dashes).
        string Series(string name, int count) => postgres
            ? $"generate_series(0, {count - 1}) AS {name}"
            : $"(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {count - 1}) SELECT n FROM s) AS {name}";
        var i = postgres ? "i" : "i.n";
        var u = postgres ? "u" : "u.n";
        var newId = postgres ? "gen_random_uuid()" : $"printf('F1110000-0000-4000-8000-%012X', {i})";
        var (falseValue, at) = postgres ? ("false", "TIMESTAMPTZ '2026-01-01 00:00:00+00'") : ("0", "'2026-01-01 00:00:00'");
        string Plus(string ms) => postgres ? $"{at} + ({ms}) * INTERVAL '1 millisecond'" : $"strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || (({ms}) / 1000.0) || ' seconds')";
        var text = postgres ? "::text" : "";
        var offset = (jobs - queued) % users; // so that the queue's first job is fill-0's

        await ExecuteAsync(connection,
            "INSERT INTO \"AspNetUsers\" (\"Id\", \"UserName\", \"NormalizedUserName\", \"Email\", \"NormalizedEmail\", \"EmailConfirmed\", "
            + "\"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"CreatedAt\", \"SecurityStamp\", \"ConcurrencyStamp\") "
            + $"SELECT 'fill-' || {u}{text}, 'fill-' || {u}{text}, 'FILL-' || {u}{text}, 'fill-' || {u}{text} || '@example.test', 'FILL-' || {u}{text} || '@EXAMPLE.TEST', "
            + $"{falseValue}, {falseValue}, {falseValue}, {falseValue}, 0, {at}, 'stamp', 'stamp' FROM {Series("u", users)}", cancellationToken);
        await ExecuteAsync(connection,
            "INSERT INTO \"UserQueueStates\" (\"UserId\", \"LastServedAt\", \"LastServedRound\") "
            + $"SELECT 'fill-' || {u}{text}, {at}, 0 FROM {Series("u", users)}", cancellationToken);
        // Finished jobs first (older), then the queue in submission order: job q of the queue is user q % users's
        // (q / users)-th.
        await ExecuteAsync(connection,
            "INSERT INTO \"GenerationJobs\" (\"Id\", \"OwnerId\", \"Kind\", \"Status\", \"Source\", \"Prompt\", \"NegativePrompt\", \"Model\", \"Scheduler\", "
            + "\"Steps\", \"Guidance\", \"Seed\", \"Width\", \"Height\", \"BatchSize\", \"Priority\", \"Round\", \"CreatedAt\", \"FinishedAt\", \"TotalMs\", \"Attempts\", \"ClaimToken\", \"Spec\", \"SpecVersion\") "
            + $"SELECT {newId}, 'fill-' || (({i} + {users - offset}) % {users}){text}, 'Txt2Img', CASE WHEN {i} >= {jobs - queued} THEN 'Queued' ELSE 'Succeeded' END, 'Api', "
            + $"'filler ' || {i}{text}, '', 'tiny', 'Euler a', 20, 7, {i}, 512, 512, 1, 0, "
            + $"CASE WHEN {i} >= {jobs - queued} THEN ({i} - {jobs - queued}) / {users} ELSE 0 END, {Plus(i)}, "
            + $"CASE WHEN {i} >= {jobs - queued} THEN NULL ELSE {Plus($"{i} + 1")} END, "
            + $"CASE WHEN {i} >= {jobs - queued} THEN NULL ELSE 2000 END, 0, 0, '{{}}', 1 FROM {Series("i", jobs)}", cancellationToken);
        await ExecuteAsync(connection, "ANALYZE", cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
