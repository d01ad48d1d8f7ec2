using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;

namespace WebStudio.ScaleOut.Tests;

/// <summary>Each provider has its own migrations, and they build exactly today's model.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class MigrationsPerProviderTests(PostgresServer server)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_providers_migrations_match_the_model_and_apply_to_an_empty_database(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        await using var db = await core.CreateDbContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} model has changes that no migration holds: add one");
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(provider == "Postgres" ? StudioDatabase.PostgresMigrationsAssembly : StudioDatabase.MigrationsAssembly,
            db.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
    }

    [Fact]
    public async Task The_postgres_schema_has_timestamptz_times_and_a_working_share_link_check()
    {
        await using var core = await StudioCore.StartAsync("Postgres", server);
        await using var db = await core.CreateDbContextAsync();

        var types = await db.Database.SqlQuery<string>($"SELECT data_type AS \"Value\" FROM information_schema.columns WHERE table_name = 'GenerationJobs' AND column_name = 'CreatedAt'").ToListAsync();
        Assert.Equal(["timestamp with time zone"], types);

        // Neither target, or both: the constraint (with quoted names, as PostgreSQL needs) refuses the row.
        var owner = (await core.AddUsersAsync("alice"))[0];
        db.ShareLinks.Add(new ShareLink { OwnerId = owner, TokenHash = new byte[32], Label = "nothing" });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Contains("CK_ShareLinks_OneTarget", refused.InnerException?.Message ?? "", StringComparison.Ordinal);
    }
}
