using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The studio configured with Redis, in chromium, while Redis is down: the pages come alive and a job runs and shows
/// its images, without live frames; once Redis is back, the same page's live previews come back by themselves.
/// </summary>
[Trait("Capability", "ScaleOut")]
public sealed class RedisOutageBrowserTests
{
    [Fact]
    public async Task With_Redis_down_a_page_opened_then_generates_and_shows_its_images_and_its_previews_return_with_Redis()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var sandbox = new StudioSandbox();
        sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        await using var server = await StudioHost.StartAsync(sandbox.Options(new Dictionary<string, string?>
        {
            ["Generation:DefaultModel"] = StudioSandbox.TinyModelName,
            ["Redis:Configuration"] = redis.Configuration,
        }));
        await using var browser = await BrowserSession.LaunchAsync();
        await using var context = await browser.NewContextAsync(server);
        await context.AddInitScriptAsync(StudioPages.PreviewRecorderScript);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(With_Redis_down_a_page_opened_then_generates_and_shows_its_images_and_its_previews_return_with_Redis), context, server, async () =>
        {
            await StudioPages.RegisterAsync(page, "redis-down@browser.test");
            await redis.StopAsync();

            // Opened with Redis down: its circuit must still start.
            await page.GotoAsync("/");
            await StudioPages.WaitForCircuitAsync(page);
            await StudioPages.FillPromptAsync(page, "a red circle");
            await StudioPages.FillNumberAsync(page, "steps", "150");
            await StudioPages.GenerateAsync(page, "a red circle");
            await page.Locator("#results img.result-image").First.WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            var framesWhileDown = await FramesAsync(page);

            await redis.StartAsync();
            var framesBack = 0;
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while (framesBack == 0 && DateTime.UtcNow < deadline)
            {
                // The page tries its preview connection again on its own schedule (up to 30 s apart): jobs until then.
                await StudioPages.FillPromptAsync(page, "a blue square");
                await StudioPages.GenerateAsync(page, "a blue square");
                await page.Locator("#results img.result-image").First.WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
                framesBack = await FramesAsync(page);
            }

            Assert.Equal(0, framesWhileDown);
            Assert.True(framesBack > 0, $"no live preview frame reached the page after Redis came back\n{server.Log}");
        });
    }

    // The live preview's frames this page has shown so far.
    private static Task<int> FramesAsync(Microsoft.Playwright.IPage page) => page.EvaluateAsync<int>("() => window.__previewShown.size");
}
