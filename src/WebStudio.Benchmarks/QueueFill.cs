using Npgsql;

namespace WebStudio.Benchmarks;

/// <summary>
/// Fills an empty, migrated studio database on PostgreSQL with <c>users</c> users and <c>rows</c> jobs, the newest
/// <c>queued</c> of them queued and the rest succeeded, in a few set-based statements (generate_series). Every user
/// has been served once, as in a studio that has been running a while.
/// </summary>
public static class QueueFill
{
    public static async Task FillAsync(string connectionString, int rows, int queued, int users)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string[] statements =
        [
            $"""
            INSERT INTO "AspNetUsers" ("Id", "CreatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
                "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            SELECT 'fill-' || i, now(), 'fill' || i, 'FILL' || i, 'fill' || i || '@bench.test', 'FILL' || i || '@BENCH.TEST', false, false, false, false, 0
            FROM generate_series(0, {users - 1}) AS i
            """,
            $"""
            INSERT INTO "GenerationJobs" ("Id", "OwnerId", "Kind", "Status", "Source", "Prompt", "NegativePrompt", "Model", "Scheduler",
                "Steps", "Guidance", "Seed", "Width", "Height", "BatchSize", "Priority", "CreatedAt", "StartedAt", "FinishedAt",
                "Attempts", "ClaimToken", "Spec", "SpecVersion")
            SELECT gen_random_uuid(), 'fill-' || (i % {users}), 'Txt2Img',
                CASE WHEN i >= {rows - queued} THEN 'Queued' ELSE 'Succeeded' END, 'Api', 'a red circle', '', 'webstudio-shapes', 'Euler a',
                20, 7, i, 128, 128, 1, 0, now() - make_interval(secs => {rows} - i),
                CASE WHEN i >= {rows - queued} THEN NULL ELSE now() - make_interval(secs => {rows} - i) END,
                CASE WHEN i >= {rows - queued} THEN NULL ELSE now() - make_interval(secs => {rows} - i - 1) END,
                CASE WHEN i >= {rows - queued} THEN 0 ELSE 1 END, CASE WHEN i >= {rows - queued} THEN 0 ELSE 1 END, '', 1
            FROM generate_series(0, {rows - 1}) AS i
            """,
            $"""
            INSERT INTO "UserQueueStates" ("UserId", "LastServedAt")
            SELECT 'fill-' || i, now() - make_interval(secs => {users} - i) FROM generate_series(0, {users - 1}) AS i
            """,
            "ANALYZE",
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }
}
