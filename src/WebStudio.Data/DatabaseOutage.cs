using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WebStudio.Data;

/// <summary>
/// Whether an exception means "the database cannot be reached right now" (PostgreSQL down or restarting, the
/// network to it cut, SQLite busy past its timeout), told by the exception's type, never its message. Such a failure
/// is answered 503 and retried, not reported as a fault of the request or the job.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What a person is told, on pages and in the API.</summary>
    public const string Message = "The studio cannot reach its database right now. Please try again shortly; nothing you made is lost.";

    /// <summary>The Retry-After of a 503: about how long a restart of the database takes.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private const int SqliteBusy = 5, SqliteLocked = 6;

    /// <summary>True when <paramref name="exception"/>, or one it wraps (EF wraps the provider's), is an outage.</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            switch (exception)
            {
                // Npgsql marks connection failures, broken streams, timeouts and the server's own "shutting down" /
                // "starting up" / "too many connections" errors as transient; a constraint violation is not.
                case NpgsqlException { IsTransient: true }:
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                    return true;
                case System.Data.Common.DbException { InnerException: SocketException or TimeoutException }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsOutage):
                    return true;
            }

            exception = exception.InnerException;
        }

        return false;
    }

    /// <summary>
    /// Runs <paramref name="work"/> until it gets through an outage: waits 1 s, then longer up to 5 s, between tries,
    /// until <paramref name="cancellationToken"/> (a shutdown). Other failures are thrown at once.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken, Action<Exception>? onOutage = null)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (IsOutage(ex) && !cancellationToken.IsCancellationRequested)
            {
                onOutage?.Invoke(ex);
                await Task.Delay(wait, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public static Task RetryAsync(Func<Task> work, CancellationToken cancellationToken, Action<Exception>? onOutage = null) =>
        RetryAsync(async () =>
        {
            await work();
            return true;
        }, cancellationToken, onOutage);
}
