using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>A1111's variation seed on the Generate page: a result's Variations button makes four of it a little
/// different, each captioned with its own variation seed, and Re-run of one makes that same picture again.</summary>
[Trait("Capability", "StudioUx")]
public sealed class VariationsBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task Variations_of_a_result_keep_its_seed_and_a_rerun_of_one_makes_the_same_picture()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Variations_of_a_result_keep_its_seed_and_a_rerun_of_one_makes_the_same_picture), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("variations"));
            const string prompt = "a big yellow star on the left";
            await StudioPages.FillPromptAsync(page, prompt);
            await StudioPages.FillNumberAsync(page, "steps", "4");
            await StudioPages.FillNumberAsync(page, "seed", "77");
            var original = await StudioPages.GenerateAsync(page, prompt);
            await page.Locator("#results img.result-image").First.WaitForAsync(new() { Timeout = Wait });

            await page.Locator("button[aria-label='Variations']").First.ClickAsync();

            var varied = await StudioPages.FollowNextJobAsync(page, original);
            var captions = await page.Locator("#results .mud-typography-caption").AllInnerTextsAsync();
            Assert.Equal(4, captions.Count);
            Assert.All(captions, c => Assert.Matches(@"^Seed 77 · variation \d+ · ", c));
            Assert.Equal(4, captions.Select(c => c.Split(" · ")[1]).Distinct().Count());
            Assert.Equal("0.25", await page.Locator("#variation-strength").InputValueAsync());
            // A varied image is not varied again: that would need a third seed, which no PNG could write down.
            Assert.Equal(0, await page.Locator("button[aria-label='Variations']").CountAsync());
            var third = await page.Locator("#results img.result-image").Nth(2).GetAttributeAsync("data-image-id");

            await page.Locator("button[aria-label='Re-run']").Nth(2).ClickAsync();

            await StudioPages.FollowNextJobAsync(page, varied);
            var again = await page.Locator("#results img.result-image").First.GetAttributeAsync("data-image-id");
            Assert.Equal(captions[2].Split(" · ")[..2], (await page.Locator("#results .mud-typography-caption").InnerTextAsync()).Split(" · ")[..2]);
            Assert.Equal(await PixelsAsync(page, third!), await PixelsAsync(page, again!));

            // Its PNG dropped on the form, while a seed is still being typed there, gives the form its seed and
            // variation seed (the field commits before the PNG's values go in).
            var png = Path.Combine(Path.GetTempPath(), $"variation-{third}.png");
            await File.WriteAllBytesAsync(png, await (await page.APIRequest.GetAsync($"/api/images/{third}?download=true")).BodyAsync());
            await page.Locator("#seed").FillAsync("-1");
            await page.Locator("#import-png").DispatchEventAsync("drop");
            await page.Locator("#import-png").SetInputFilesAsync(png);
            await Assertions.Expect(page.Locator("#import-message")).ToBeVisibleAsync(new() { Timeout = Wait });
            Assert.Equal("77", await page.Locator("#seed").InputValueAsync());
            Assert.Equal(captions[2].Split(" · ")[1]["variation ".Length..], await page.Locator("#variation-seed").InputValueAsync());
            File.Delete(png);

            // Back on the page later, the next run starts on a new seed, whose picture no one has seen: no variations.
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("#variation-strength")).ToHaveValueAsync("0", new() { Timeout = Wait });
            Assert.Equal(("-1", "-1"), (await page.Locator("#seed").InputValueAsync(), await page.Locator("#variation-seed").InputValueAsync()));
        });
    }

    private static async Task<byte[]> PixelsAsync(IPage page, string imageId)
    {
        var response = await page.APIRequest.GetAsync($"/api/images/{imageId}");
        using var image = Image.Load<Rgba32>(await response.BodyAsync());
        var pixels = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
