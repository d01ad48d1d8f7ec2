using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebStudio.Data;

namespace WebStudio.ScaleOut.Tests;

/// <summary>An outage is told by the exception's type (and SQL state or SQLite code), wherever EF wrapped it, never by its
/// message; a fault of the request (a constraint, a bug) is not an outage. Real outages: PostgresOutageTests.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class DatabaseOutageTests
{
    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "a broken stream", new NpgsqlException("Exception while reading from stream", new IOException("EOF")), true },
        { "a connect timeout", new NpgsqlException("timeout", new TimeoutException()), true },
        { "the server shutting down", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "the server starting up", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { "wrapped by EF", new DbUpdateException("An error occurred", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))), true },
        { "SQLite busy", new SqliteException("database is locked", 5), true },
        { "a unique violation", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "a SQLite constraint", new SqliteException("constraint failed", 19), false },
        { "a bug whose message mentions the database", new InvalidOperationException("cannot connect to the database"), false },
        { "a socket error outside the database", new SocketException((int)SocketError.ConnectionRefused), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outages_are_told_by_type(string what, Exception exception, bool outage) =>
        Assert.True(DatabaseOutage.IsOutage(exception) == outage, $"{what}: expected {(outage ? "an outage" : "no outage")}");
}
