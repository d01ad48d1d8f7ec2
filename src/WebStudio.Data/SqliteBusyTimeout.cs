using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebStudio.Data;

/// <summary>
/// Lets SQLite itself wait for a write lock (<c>PRAGMA busy_timeout</c>, which retries within a millisecond or a few),
/// instead of Microsoft.Data.Sqlite's own retry, which sleeps 150 ms at a time: with the submissions, the claims and
/// the stores of finished jobs all writing, that sleep was most of a job's hand-over.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {Math.Max(1, sqlite.DefaultTimeout) * 1000};";
        command.ExecuteNonQuery();
    }
}
