namespace WebStudio.ScaleOut.Tests.Infrastructure;

/// <summary>A PostgreSQL server of the outage tests' own, which they stop and start.</summary>
public sealed class OutagePostgresServer : IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    public Task<PostgresDatabase> CreateDatabaseAsync() => _server.CreateDatabaseAsync();

    public Task StopAsync() => _server.StopAsync();

    public Task StartAsync() => _server.StartAsync();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();
}
