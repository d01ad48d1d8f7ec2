using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>A1111's and SwarmUI's "Generate forever": as a run ends, Generate is pressed again with the form as it is
/// then, until the button is pressed again.</summary>
[Trait("Capability", "StudioUx")]
public sealed class GenerateForeverBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task Generate_forever_queues_the_next_run_as_each_ends_with_the_form_as_it_is_then_until_pressed_again()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 1000);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Generate_forever_queues_the_next_run_as_each_ends_with_the_form_as_it_is_then_until_pressed_again), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("forever"));
            await StudioPages.FillPromptAsync(page, "a red circle");
            await StudioPages.FillNumberAsync(page, "steps", "2");
            var forever = page.Locator("#generate-forever");
            await forever.ClickAsync();
            await Assertions.Expect(forever).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = Wait });
            await Assertions.Expect(page.Locator("#forever-note")).ToBeVisibleAsync();

            // Each run is a moment's work, so the panel is read for which job it shows, not for a state that passes.
            var first = await StudioPages.GenerateAsync(page, "a red circle");
            Assert.Equal(("a red circle", 2), await PromptAndStepsAsync(page, first.ToString()));
            await page.WaitForFunctionAsync("first => { const p = document.querySelector('#job-panel'); return p && p.dataset.jobId !== first; }",
                first.ToString(), new() { Timeout = Wait });

            // The prompt changed while it goes on: the runs after it take it.
            await StudioPages.FillPromptAsync(page, "a blue star");
            await page.Locator("#job-panel").Filter(new() { HasText = "a blue star" }).WaitForAsync(new() { Timeout = Wait });

            // Pressed again: the run going on ends, and none follows it.
            await forever.ClickAsync();
            await Assertions.Expect(forever).ToHaveAttributeAsync("aria-pressed", "false", new() { Timeout = Wait });
            await Assertions.Expect(page.Locator("#forever-note")).ToHaveCountAsync(0);
            var last = await page.Locator("#job-panel").GetAttributeAsync("data-job-id");
            await page.Locator($"#job-panel[data-job-id='{last}'][data-status='Succeeded']").WaitForAsync(new() { Timeout = Wait });
            await page.WaitForTimeoutAsync(3000);
            Assert.Equal(last, await page.Locator("#job-panel").GetAttributeAsync("data-job-id"));
            Assert.Equal(("a blue star", 2), await PromptAndStepsAsync(page, last));
        });
    }

    private static async Task<(string?, int)> PromptAndStepsAsync(IPage page, string? jobId)
    {
        var job = await (await page.APIRequest.GetAsync($"/api/jobs/{jobId}")).JsonAsync();
        return (job!.Value.GetProperty("prompt").GetString(), job.Value.GetProperty("steps").GetInt32());
    }
}
