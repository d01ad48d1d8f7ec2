using System.Globalization;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Tests.Infrastructure;

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
}
