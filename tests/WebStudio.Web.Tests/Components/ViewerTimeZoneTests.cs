using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Studio.History;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Web.Tests.Queue;

namespace WebStudio.Web.Tests.Components;

/// <summary>Pages wrote times on the server's clock, which means nothing to a team spread over several zones: they
/// are on the zone the browser names (ViewerClock), and UTC, said so, where it names none the server knows.</summary>
[Trait("Capability", "StudioUx")]
public sealed class ViewerTimeZoneTests
{
    [Fact]
    public async Task History_writes_times_on_the_zone_the_browser_names_and_in_utc_otherwise()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var made = (await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle")).Id)).CreatedAt;
        static string At(DateTime time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        Assert.Contains(At(made) + " UTC", await alice.Http.GetStringAsync("/history"), StringComparison.Ordinal);

        alice.SetCookie(ViewerClock.Cookie, Uri.EscapeDataString("Asia/Tokyo")); // UTC+9, without summer time
        var tokyo = await alice.Http.GetStringAsync("/history");
        Assert.Contains(At(made.AddHours(9)), tokyo, StringComparison.Ordinal);
        Assert.DoesNotContain(At(made.AddHours(9)) + " UTC", tokyo, StringComparison.Ordinal);

        // A name that is no zone, or that reaches for a path, leaves the page on UTC.
        foreach (var name in new[] { "Mars/Olympus_Mons", "../../../etc/passwd", new string('A', 200) })
        {
            alice.SetCookie(ViewerClock.Cookie, Uri.EscapeDataString(name));
            Assert.Contains(At(made) + " UTC", await alice.Http.GetStringAsync("/history"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task History_filters_by_the_days_of_the_viewers_zone()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var job = await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle")).Id);
        string owner;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            // 20:00 UTC on 1 March is 05:00 on 2 March in Tokyo.
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.CreatedAt, new DateTime(2026, 3, 1, 20, 0, 0, DateTimeKind.Utc)));
            owner = await db.Jobs.Where(j => j.Id == job.Id).Select(j => j.OwnerId).SingleAsync();
        }

        var history = factory.Services.GetRequiredService<HistoryService>();
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        async Task<int> FoundOnAsync(int day, TimeZoneInfo zone) =>
            (await history.QueryAsync(owner, new HistoryFilter { From = new DateOnly(2026, 3, day), To = new DateOnly(2026, 3, day), Zone = zone }, null)).Items.Count;

        Assert.Equal((1, 0), (await FoundOnAsync(2, tokyo), await FoundOnAsync(1, tokyo)));
        Assert.Equal((0, 1), (await FoundOnAsync(2, TimeZoneInfo.Utc), await FoundOnAsync(1, TimeZoneInfo.Utc)));
    }
}
