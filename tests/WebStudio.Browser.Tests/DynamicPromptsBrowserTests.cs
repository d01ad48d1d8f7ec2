using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>Dynamic prompts on the Generate page: {a|b} choices make a job per prompt, on one seed; the strip under the
/// panel shows each as it finishes, and opens it in the panel. Too many choices are drawn from at random instead.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicPromptsBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task A_prompt_with_choices_runs_a_job_per_prompt_on_one_seed_shown_in_the_strip_that_a_reload_brings_back()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_prompt_with_choices_runs_a_job_per_prompt_on_one_seed_shown_in_the_strip_that_a_reload_brings_back), context, studio.Server, async () =>
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

            // The tab keeps the run: a reload brings the strip back, pictures and all; another tab has none.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#job-set-count")).ToHaveTextAsync("This run: 2 of 2 done", new() { Timeout = Wait });
            await Assertions.Expect(items.Locator("img")).ToHaveCountAsync(2, new() { Timeout = Wait });
            Assert.Equal(["a red circle", "a blue circle"], await items.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.title)"));
            var other = await context.NewPageAsync();
            await other.GotoAsync("/");
            await Assertions.Expect(other.Locator("#prompt")).ToBeVisibleAsync(new() { Timeout = Wait });
            await other.WaitForTimeoutAsync(1000);
            Assert.Equal(0, await other.Locator("#job-set").CountAsync());
        });
    }

    [Fact]
    public async Task Too_many_combinations_are_drawn_from_at_random_the_seeds_list_being_the_jobs_that_run()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Too_many_combinations_are_drawn_from_at_random_the_seeds_list_being_the_jobs_that_run), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("random"));
            await StudioPages.FillPromptAsync(page, "a {red|blue|green|yellow|purple} {circle|square|star|ring} {on white|on black|on gray} {left|right|top|center}");
            await StudioPages.FillNumberAsync(page, "steps", "2");
            await Assertions.Expect(page.Locator("#dynamic-prompts")).ToContainTextAsync("make 240 prompts, and at most 100 can be queued", new() { Timeout = Wait });

            await page.Locator("#random-prompts-on").CheckAsync();
            await page.Locator("#random-prompt-count").FillAsync("3");
            await page.Locator("#random-prompt-count").PressAsync("Tab");
            await StudioPages.FillNumberAsync(page, "seed", "1234");
            await Assertions.Expect(page.Locator("button#generate")).ToHaveTextAsync("Generate 3 jobs", new() { IgnoreCase = true, Timeout = Wait });
            await page.Locator("#dynamic-prompts button").ClickAsync();
            var listed = await page.Locator("#dynamic-prompt-list li").AllInnerTextsAsync();
            Assert.Equal(3, listed.Distinct().Count());

            await page.Locator("button#generate").ClickAsync();

            await Assertions.Expect(page.Locator("#job-set-count")).ToHaveTextAsync("This run: 3 of 3 done", new() { Timeout = 4 * Wait });
            var items = page.Locator("#job-set button.job-set-item");
            Assert.Equal(listed, await items.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.title)"));
        });
    }
}
