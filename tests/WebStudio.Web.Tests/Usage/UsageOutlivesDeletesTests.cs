using System.Globalization;
using WebStudio.Studio.Admin;
using WebStudio.Studio.History;
using WebStudio.Studio.Team;
using WebStudio.Web.Tests.TeamAdmin;

namespace WebStudio.Web.Tests.Usage;

/// <summary>Usage outlives deletes: a generation deleted and swept, and then the account deleted with its images,
/// still show on /admin/usage and in its CSV, under the account's name.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class UsageOutlivesDeletesTests
{
    [Fact]
    public async Task A_swept_generation_and_a_deleted_account_keep_their_usage_on_the_page_and_in_the_csv()
    {
        await using var studio = await TeamStudio.StartAsync();
        var deleted = await studio.Member.SubmitAsync("deleted from history, then swept", batch: 2);
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(deleted.Id)).Status);
        var kept = await studio.Member.SubmitAsync("deleted with the account");
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(kept.Id)).Status);

        var history = studio.Get<HistoryService>();
        Assert.Equal(DeleteOutcome.Deleted, await history.DeleteAsync(studio.MemberId, deleted.Id));
        Assert.Equal(1, await history.PurgeDeletedAsync(DateTime.UtcNow.AddMinutes(1)));
        Assert.True((await studio.Get<UserAdministration>().DeleteAsync(new Actor(studio.AdminId, "admin"), studio.MemberId, keepImages: false)).Done);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var range = $"from={today}&to={today}";
        var csv = await studio.Admin.Http.GetStringAsync($"/admin/usage.csv?{range}&period=day&group=user");
        // Two jobs, three images of 4 steps at 64×64.
        Assert.Contains($"{today},day,member@example.test,2,3,{3 * 4 * 64 * 64},", csv, StringComparison.Ordinal);
        var page = await studio.Admin.Http.GetStringAsync($"/admin/usage?{range}");
        Assert.Contains("member@example.test", page, StringComparison.Ordinal);
    }
}
