using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Testing;
using Xunit.Abstractions;

namespace WebStudio.ScaleOut.Tests.TeamAdmin;

/// <summary>Quotas hold under parallel submissions: 20 at once against a quota of 5 admit exactly 5, on both providers.</summary>
[Trait("Capability", "TeamAdmin")]
[Collection(PostgresCollection.Name)]
public sealed class QuotaExactnessTests(PostgresServer server, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Sqlite", "images")]
    [InlineData("Postgres", "images")]
    [InlineData("Sqlite", "queued")]
    [InlineData("Postgres", "queued")]
    [InlineData("Sqlite", "perMinute")]
    [InlineData("Postgres", "perMinute")]
    public async Task Twenty_parallel_submissions_against_a_quota_of_five_admit_exactly_five(string provider, string quota)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var admin = new Actor("test-admin", "test admin");
        var quotas = quota switch
        {
            "images" => new Quotas(5, null, null, null),
            "queued" => new Quotas(null, null, 5, null),
            _ => new Quotas(null, null, null, 5),
        };
        Assert.True((await core.Services.GetRequiredService<UserAdministration>().SetQuotaAsync(admin, alice, quotas)).Done);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => core.Queue.SubmitAsync(alice, StudioCore.Spec($"parallel {i}"), null, JobSource.Api))));

        var accepted = outcomes.Count(o => o.Job is not null);
        output.WriteLine($"{provider}, {quota} quota of 5: {accepted} of 20 parallel submissions admitted");
        Assert.Equal(5, accepted);
        await using var db = await core.CreateDbContextAsync();
        Assert.Equal(5, await db.Jobs.CountAsync(j => j.OwnerId == alice));
        var refusal = outcomes.First(o => o.Job is null);
        var expected = quota switch { "images" => SubmitRefusal.QuotaExceeded, "queued" => SubmitRefusal.QueueFull, _ => SubmitRefusal.RateLimited };
        Assert.All(outcomes.Where(o => o.Job is null), o => Assert.Equal(expected, o.Refusal));
        Assert.NotNull(refusal.RetryAfter);
        Assert.Contains(quota switch { "images" => "daily image quota", "queued" => "queued-jobs quota", _ => "submissions-per-minute quota" }, refusal.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_roles_quota_holds_and_a_users_override_replaces_it(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (alice, bob) = await core.AddUsersAsync("alice", "bob") is var ids ? (ids[0], ids[1]) : default;
        var admin = new Actor("test-admin", "test admin");
        var administration = core.Services.GetRequiredService<UserAdministration>();
        var member = (await core.Services.GetRequiredService<TeamPolicies>().RolePoliciesAsync()).Single(p => p.Role == StudioRoles.Member);
        member.ImagesPerDay = 2;
        Assert.True((await administration.SaveRolePolicyAsync(admin, member)).Done);
        Assert.True((await administration.SetQuotaAsync(admin, bob, new Quotas(3, null, null, null))).Done);

        async Task<int> AdmittedAsync(string user)
        {
            var admitted = 0;
            for (var i = 0; i < 5; i++)
            {
                admitted += (await core.Queue.SubmitAsync(user, StudioCore.Spec($"job {i}"), null, JobSource.Studio)).Job is null ? 0 : 1;
            }

            return admitted;
        }

        Assert.Equal(2, await AdmittedAsync(alice));
        Assert.Equal(3, await AdmittedAsync(bob));
        var refused = await core.Queue.SubmitAsync(alice, StudioCore.Spec("one more"), null, JobSource.Studio);
        Assert.Contains("resets at 00:00 UTC", refused.Problems[0].Message, StringComparison.Ordinal);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.Zero, TimeSpan.FromDays(1));
    }
}
