using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Team;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests.TeamAdmin;

/// <summary>The last administrator can never be demoted, disabled or deleted, also when two administrators act at once.</summary>
[Trait("Capability", "TeamAdmin")]
[Collection(PostgresCollection.Name)]
public sealed class LastAdministratorTests(PostgresServer server)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_only_administrator_cannot_be_demoted_disabled_or_deleted(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (admin, other) = await AdminsAsync(core, 1);
        var users = core.Services.GetRequiredService<UserAdministration>();
        var actor = new Actor(other, "other admin");

        foreach (var outcome in new[]
        {
            await users.SetRoleAsync(actor, admin, StudioRoles.Member),
            await users.SetDisabledAsync(actor, admin, disabled: true),
            await users.DeleteAsync(actor, admin, keepImages: true),
        })
        {
            Assert.False(outcome.Done);
            Assert.Contains("last administrator", outcome.Problem, StringComparison.Ordinal);
        }

        var policy = await core.Services.GetRequiredService<TeamPolicies>().ForUserAsync(admin);
        Assert.True(policy.IsAdmin);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Two_administrators_demoting_each_other_at_once_leave_one(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var users = core.Services.GetRequiredService<UserAdministration>();
        for (var round = 0; round < 5; round++)
        {
            var (first, second) = await AdminsAsync(core, 2, $"r{round}");
            var outcomes = await Task.WhenAll(
                Task.Run(() => users.SetDisabledAsync(new Actor(first, "first"), second, disabled: true)),
                Task.Run(() => users.SetRoleAsync(new Actor(second, "second"), first, StudioRoles.Member)));

            Assert.Equal(1, outcomes.Count(o => o.Done));
            var policies = core.Services.GetRequiredService<TeamPolicies>();
            var firstAdmin = (await policies.ForUserAsync(first)).IsAdmin;
            var secondActive = await core.Services.GetRequiredService<AccountStatus>().IsActiveAsync(second);
            Assert.True(firstAdmin ^ secondActive, $"round {round}: first admin {firstAdmin}, second active {secondActive}");

            // Back to no administrators for the next round: the survivor steps down once another exists.
            await using var db = await core.CreateDbContextAsync();
            db.UserRoles.RemoveRange(db.UserRoles);
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Two accounts; the first <paramref name="admins"/> of them administrators.</summary>
    private static async Task<(string First, string Second)> AdminsAsync(StudioCore core, int admins, string prefix = "")
    {
        var ids = await core.AddUsersAsync($"{prefix}first", $"{prefix}second");
        await using (var db = await core.CreateDbContextAsync())
        {
            StudioRoleSeeder.Seed(db);
        }

        var users = core.Services.GetRequiredService<UserAdministration>();
        for (var i = 0; i < admins; i++)
        {
            Assert.True((await users.SetRoleAsync(new Actor("seed", "seed"), ids[i], StudioRoles.Admin)).Done);
        }

        return (ids[0], ids[1]);
    }
}
