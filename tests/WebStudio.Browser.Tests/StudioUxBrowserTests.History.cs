using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

public sealed partial class StudioUxBrowserTests
{
    private const int FirstScreenCards = 12; // History.razor's first render

    /// <summary>
    /// History's first render holds only the first screen of cards, so that the browser paints the first thumbnails
    /// sooner; the rest of the page follows by itself once the circuit is live, without Load more.
    /// </summary>
    [Fact]
    public async Task History_shows_its_first_screen_first_and_the_rest_of_the_page_once_live()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(History_shows_its_first_screen_first_and_the_rest_of_the_page_once_live), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("screens"));
            for (var i = 0; i <= FirstScreenCards; i++)
            {
                await StudioPages.GenerateThroughApiAsync(page, new
                {
                    prompt = $"a blue square {i}", model = studio.ModelName, scheduler = "Euler a", steps = 2, guidance = 7, seed = i + 1,
                    width = studio.ModelSize, height = studio.ModelSize, batchSize = 1,
                });
            }

            // Hold the circuit back: what shows is the prerendered page alone.
            var release = await StudioPages.HoldCircuitAsync(page);
            await page.GotoAsync("/history");
            var cards = page.Locator(".history-item");
            await Assertions.Expect(cards).ToHaveCountAsync(FirstScreenCards);
            Assert.Equal("a blue square 12", await page.Locator(".history-prompt").First.InnerTextAsync()); // newest first

            release();
            await StudioPages.WaitForCircuitAsync(page);
            await Assertions.Expect(cards).ToHaveCountAsync(FirstScreenCards + 1, new() { Timeout = Wait });
            // Waited for, not read once: the live render fills in the cards it adds a moment after they count (a CI run read "").
            await Assertions.Expect(page.Locator(".history-prompt").Last).ToHaveTextAsync("a blue square 0", new() { Timeout = Wait });
        });
    }
}
