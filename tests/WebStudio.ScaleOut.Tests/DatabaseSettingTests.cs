using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio;

namespace WebStudio.ScaleOut.Tests;

/// <summary>Studio:Database picks the provider; a missing or wrong setting stops the start with a message naming it.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class DatabaseSettingTests
{
    [Theory]
    [InlineData(null, StudioDatabaseProvider.Sqlite)]
    [InlineData("", StudioDatabaseProvider.Sqlite)]
    [InlineData("sqlite", StudioDatabaseProvider.Sqlite)]
    [InlineData("Postgres", StudioDatabaseProvider.Postgres)]
    [InlineData("PostgreSQL", StudioDatabaseProvider.Postgres)]
    public void The_setting_names_the_provider_sqlite_by_default(string? setting, StudioDatabaseProvider expected) =>
        Assert.Equal(expected, StudioDatabase.ParseProvider(setting));

    [Fact]
    public void Sqlite_stays_the_default_at_the_database_path()
    {
        using var db = Open(new() { ["Studio:DatabasePath"] = "/tmp/somewhere/studio.db" });

        Assert.True(db.Database.IsSqlite());
        Assert.Contains("/tmp/somewhere/studio.db", db.Database.GetConnectionString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_uses_the_connection_string()
    {
        using var db = Open(new() { ["Studio:Database"] = "Postgres", ["Studio:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=studio" });

        Assert.True(db.Database.IsNpgsql());
        Assert.Equal("PostgreSQL 127.0.0.1:1/studio", StudioDatabase.Describe(db));
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_a_clear_start_up_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Open(new() { ["Studio:Database"] = "Postgres" }));

        Assert.Contains("Studio:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_a_clear_start_up_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Open(new() { ["Studio:Database"] = "Postgres", ["Studio:ConnectionString"] = "Hots=nowhere" }));

        Assert.Contains("Studio:ConnectionString is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_is_a_clear_start_up_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Open(new() { ["Studio:Database"] = "MySql" }));

        Assert.Contains("Studio:Database is 'MySql'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Postgres", error.Message, StringComparison.Ordinal);
    }

    private static StudioDbContext Open(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddStudioCore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
    }
}
