using System.Globalization;
using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

public sealed partial class StudioUxBrowserTests
{
    /// <summary>A page is prerendered before the browser's script has named its zone (a browser's first page, or a
    /// cleared cookie): the circuit asks the browser, and the page's times move onto the viewer's clock without a
    /// reload.</summary>
    [Fact]
    public async Task A_page_prerendered_without_the_viewers_zone_shows_its_times_on_the_viewers_clock_once_interactive()
    {
        await using var context = await studio.Browser.Browser.NewContextAsync(new()
        {
            BaseURL = studio.Server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = 1400, Height = 900 },
            TimezoneId = "Asia/Tokyo", // UTC+9 all year
        });
        context.SetDefaultTimeout(Wait);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_page_prerendered_without_the_viewers_zone_shows_its_times_on_the_viewers_clock_once_interactive), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("tokyo"));
            await page.GotoAsync("/api-keys");
            await FillUntilInteractiveAsync(page, "input[data-testid='key-name'], [data-testid='key-name'] input", "clock key");
            await page.Locator("[data-testid='create-key']").ClickAsync();
            var created = page.Locator("#api-keys-table tbody tr td:nth-child(3)");
            var made = DateTime.UtcNow;
            await Assertions.Expect(created).ToHaveCountAsync(1);

            await context.ClearCookiesAsync(new() { Name = "ws-tz" });
            var response = await page.GotoAsync("/api-keys");
            Assert.Contains(" UTC</td>", await response!.TextAsync(), StringComparison.Ordinal); // the prerender's: no zone yet
            await Assertions.Expect(created).Not.ToContainTextAsync("UTC");
            var shown = DateTime.ParseExact(await created.InnerTextAsync(), "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            Assert.InRange(shown - made, TimeSpan.FromHours(9) - TimeSpan.FromMinutes(2), TimeSpan.FromHours(9) + TimeSpan.FromMinutes(2));
        });
    }
}
