using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The queue's few statements that EF cannot express, in one place, for SQLite and PostgreSQL. Identifiers are
/// quoted: PostgreSQL folds unquoted names to lower case, and SQLite accepts the quotes as well.
/// </summary>
internal static class QueueStatements
{
    /// <summary>Records that <paramref name="userId"/> was served at <paramref name="now"/> (the fair order's state), in one upsert.</summary>
    public static Task MarkServedAsync(StudioDbContext db, string userId, DateTime now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"UserQueueStates\" (\"UserId\", \"LastServedAt\") VALUES ({userId}, {now}) ON CONFLICT (\"UserId\") DO UPDATE SET \"LastServedAt\" = excluded.\"LastServedAt\"",
            cancellationToken);

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
