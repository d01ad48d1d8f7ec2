using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>Dynamic prompts on the Generate page: {a|b} choices make a job per prompt, on one seed; the strip under the
/// panel shows each as it finishes, and opens it in the panel.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicPromptsBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task A_prompt_with_choices_runs_a_job_per_prompt_on_one_seed_shown_in_the_strip()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_prompt_with_choices_runs_a_job_per_prompt_on_one_seed_shown_in_the_strip), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("dynamic"));
            await StudioPages.FillPromptAsync(page, "a {red|blue} circle");
            await StudioPages.FillNumberAsync(page, "steps", "2");
            await Assertions.Expect(page.Locator("#dynamic-prompts")).ToContainTextAsync("make 2 prompts", new() { Timeout = Wait });
            await Assertions.Expect(page.Locator("button#generate")).ToHaveTextAsync("Generate 2 jobs", new() { IgnoreCase = true });

            await page.Locator("button#generate").ClickAsync();

            await Assertions.Expect(page.Locator("#job-set-count")).ToHaveTextAsync("This run: 2 of 2 done", new() { Timeout = 4 * Wait });
            var items = page.Locator("#job-set button.job-set-item");
            await Assertions.Expect(items.Locator("img")).ToHaveCountAsync(2, new() { Timeout = Wait });
            Assert.Equal(["a red circle", "a blue circle"], await items.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.title)"));

            // Each opens in the panel (and the address); both ran on one seed.
            var seeds = new List<long>();
            foreach (var (index, prompt) in new[] { (1, "a blue circle"), (0, "a red circle") })
            {
                await items.Nth(index).ClickAsync();
                await Assertions.Expect(items.Nth(index)).ToHaveAttributeAsync("aria-current", "true", new() { Timeout = Wait });
                await Assertions.Expect(page.Locator("#job-panel")).ToContainTextAsync(prompt, new() { Timeout = Wait });
                var id = new Uri(page.Url).Query.Split("job=")[1];
                var job = await (await page.APIRequest.GetAsync($"/api/jobs/{id}")).JsonAsync();
                Assert.Equal(prompt, job!.Value.GetProperty("prompt").GetString());
                seeds.Add(job.Value.GetProperty("seed").GetInt64());
            }

            Assert.Single(seeds.Distinct());
        });
    }
}
