namespace WebStudio.Tests.Shared;

/// <summary>One test's own database on a <see cref="PostgresServer"/>; dropped on dispose.</summary>
public sealed class PostgresDatabase(PostgresServer server, string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync() => new(server.DropDatabaseAsync(Name, ConnectionString));
}
