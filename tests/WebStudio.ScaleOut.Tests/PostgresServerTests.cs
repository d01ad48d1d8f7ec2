using Npgsql;

namespace WebStudio.ScaleOut.Tests;

/// <summary>The test fixture itself: a real server that goes away completely, and a clear error without PostgreSQL.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_server_serves_fresh_databases_and_is_stopped_and_removed_on_dispose()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        var folder = server.Folder;
        string connectionString;
        await using (var database = await server.CreateDatabaseAsync())
        {
            connectionString = database.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(database.Name, await command.ExecuteScalarAsync());
        }

        server.Dispose();

        Assert.False(Directory.Exists(folder), "the server's folder is still there");
        await using var after = new NpgsqlConnection(connectionString);
        await Assert.ThrowsAnyAsync<Exception>(() => after.OpenAsync());
    }

    [Fact]
    public void Without_postgresql_the_error_names_the_missing_programs_and_how_to_install_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresServer.FindBinFolder(["/nonexistent/postgresql/bin"]));

        Assert.Contains("initdb", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
    }
}
