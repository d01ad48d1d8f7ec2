using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebStudio.Data;

/// <summary>
/// Lets SQLite itself wait for a write lock, polling it every millisecond, up to the connection's timeout.
/// Microsoft.Data.Sqlite's own retry sleeps 150 ms at a time, and SQLite's <c>PRAGMA busy_timeout</c> backs off
/// through 1, 2, 5, 10, 15, 20, 25... 100 ms sleeps: a claim that just missed a lock held for 20 ms slept until 33 ms,
/// one that missed a 80 ms hold until 103 ms, which were the tails of the job hand-over (p99 38 ms, max 106 ms on one
/// node). With the submissions, the claims, the stores and the live previews all writing, a waiter must take the
/// lock as soon as it is free.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    // Held here so that the native callback's delegate lives as long as the process.
    private static readonly BusyHandler PollEveryMillisecond = (polls, count) =>
    {
        if (count >= polls)
        {
            return 0; // gives up: SQLITE_BUSY goes to the caller
        }

        Thread.Sleep(1);
        return 1;
    };

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(nint polls, int count);

    // SQLitePCLRaw 2.1 wraps sqlite3_busy_timeout but not sqlite3_busy_handler: called on the library it loaded.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_busy_handler", CallingConvention = CallingConvention.Cdecl)]
    private static extern int SetBusyHandler(nint db, BusyHandler handler, nint polls);

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

        // Each poll sleeps at least a millisecond, so this many polls wait at least the timeout.
        var polls = Math.Max(1, sqlite.DefaultTimeout) * 1000;
        var result = SetBusyHandler(sqlite.Handle!.DangerousGetHandle(), PollEveryMillisecond, polls);
        if (result != 0)
        {
            throw new SqliteException($"Could not set SQLite's busy handler (error {result}).", result);
        }
    }
}
