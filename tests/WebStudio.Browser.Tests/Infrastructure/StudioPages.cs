using System.Text.Json;
using Microsoft.Playwright;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>Steps on the studio's pages that several browser tests share, by the pages' stable element ids.</summary>
public static class StudioPages
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Repeats <paramref name="act"/> until <paramref name="expected"/> shows: pages are prerendered, and clicks do
    /// nothing until the interactive circuit is live. It acts at least once; before acting again it looks for what a
    /// slow act may have brought about after the wait gave up, since a click on a trigger that an opened dialog now
    /// covers would only time out.
    /// </summary>
    public static async Task UntilAsync(Func<Task> act, ILocator expected)
    {
        var deadline = DateTime.UtcNow + Wait;
        do
        {
            try
            {
                await act();
                await expected.First.WaitForAsync(new() { Timeout = 1500 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
        while (!await expected.First.IsVisibleAsync());
    }

    /// <summary>
    /// Records every PNG or JPEG blob the page turns into an object URL (the live preview's frames) with a content hash,
    /// the moment it was made, and whether finished images were already on the page. Install before navigating.
    /// </summary>
    public const string PreviewRecorderScript = """
        (() => {
            window.__previewFrames = [];
            const create = URL.createObjectURL.bind(URL);
            URL.createObjectURL = (blob) => {
                const url = create(blob);
                if (blob instanceof Blob && (blob.type === 'image/png' || blob.type === 'image/jpeg')) {
                    const entry = { url, hash: null, resultsShown: !!document.querySelector('#results'), at: performance.now() };
                    window.__previewFrames.push(entry);
                    blob.arrayBuffer().then(buffer => {
                        let h = 2166136261;
                        for (const b of new Uint8Array(buffer)) { h ^= b; h = Math.imul(h, 16777619) >>> 0; }
                        entry.hash = h.toString(16) + ':' + buffer.byteLength;
                    });
                }
                return url;
            };
            // Which of those URLs the live preview <img> actually displayed.
            window.__previewShown = new Set();
            new MutationObserver(records => {
                for (const r of records) {
                    if (r.target.id === 'live-preview' && r.target.src.startsWith('blob:')) window.__previewShown.add(r.target.src);
                }
            }).observe(document, { subtree: true, attributes: true, attributeFilter: ['src'] });
        })();
        """;

    /// <summary>Registers through the real form and lands on the Generate page, signed in.</summary>
    public static async Task RegisterAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Register");
        await page.Locator("[id='Input.Email']").FillAsync(email);
        await page.Locator("[id='Input.Password']").FillAsync(StudioHttpUser.Password);
        await page.Locator("[id='Input.ConfirmPassword']").FillAsync(StudioHttpUser.Password);
        await page.Locator("#register-submit").ClickAsync();
        // The Generate button, which the register page lacks, is what the tests need. A URL wait was dropped: in one CI
        // run it never saw the redirect (Blazor's enhanced navigation) although the Generate page had rendered.
        await page.Locator("#generate").WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        Assert.DoesNotContain("/Account/", page.Url, StringComparison.Ordinal);
        await WaitForCircuitAsync(page);
    }

    /// <summary>Signs in through the real form and lands on the Generate page with its circuit up.</summary>
    public static async Task LoginAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("[id='Input.Email']").FillAsync(email);
        await page.Locator("[id='Input.Password']").FillAsync(StudioHttpUser.Password);
        await page.Locator("#login-submit").ClickAsync();
        await page.Locator("#generate").WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        await WaitForCircuitAsync(page);
    }

    /// <summary>
    /// Holds Blazor's circuit back until the returned action is called: its negotiation waits, so the pages opened
    /// meanwhile stay as the server prerendered them.
    /// </summary>
    public static async Task<Action> HoldCircuitAsync(IPage page)
    {
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await release.Task;
            try
            {
                await route.ContinueAsync();
            }
            catch (PlaywrightException)
            {
                // The page that asked has been navigated away from.
            }
        });
        return () => release.TrySetResult();
    }

    /// <summary>
    /// Waits until the page's interactive circuit has rendered. Before that, the page is prerendered HTML: a click
    /// does nothing, and the circuit's first render replaces the elements a test has found.
    /// </summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-live").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = (float)Wait.TotalMilliseconds });

    /// <summary>
    /// Types the prompt until its character counter follows: the page is prerendered, and only once the interactive
    /// circuit is live does the counter (and the Generate button) react.
    /// </summary>
    public static async Task FillPromptAsync(IPage page, string prompt)
    {
        var deadline = DateTime.UtcNow + Wait;
        var counter = page.GetByText($"{prompt.Length} / ", new() { Exact = false });
        while (true)
        {
            await page.Locator("#prompt").FillAsync(prompt);
            try
            {
                await counter.First.WaitForAsync(new() { Timeout = 1000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not interactive yet: type again.
            }
        }
    }

    /// <summary>Sets a MudNumericField (committed on change, so the field is left with Tab).</summary>
    public static async Task FillNumberAsync(IPage page, string id, string value)
    {
        var input = page.Locator($"#{id}");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>Picks an entry of a MudSelect by the select's label and the entry's text.</summary>
    public static async Task SelectAsync(IPage page, string label, string entry)
    {
        await page.Locator("div.mud-select").Filter(new() { Has = page.Locator("label", new() { HasText = label }) }).Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = entry }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Presses Generate and returns the new job's id from the job panel.</summary>
    public static async Task<Guid> GenerateAsync(IPage page, string prompt)
    {
        await page.Locator("#generate").ClickAsync();
        var panel = page.Locator("#job-panel").Filter(new() { HasText = prompt });
        var errors = page.Locator("#form-errors");
        await panel.Or(errors).First.WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        if (await errors.IsVisibleAsync())
        {
            throw new InvalidOperationException($"the Generate page refused the job: {await errors.InnerTextAsync()}");
        }

        return Guid.Parse((await panel.GetAttributeAsync("data-job-id"))!);
    }

    /// <summary>Follows the panel from <paramref name="previous"/> to the job a result's button started, until that job
    /// has succeeded; its id. The link changes before the panel renders the new job, so this waits for that job's own
    /// panel, not the old one's.</summary>
    public static async Task<string> FollowNextJobAsync(IPage page, object previous)
    {
        await page.WaitForURLAsync(url => url.Contains("job=", StringComparison.Ordinal) && !url.Contains(previous.ToString()!, StringComparison.Ordinal),
            new() { Timeout = (float)Wait.TotalMilliseconds, WaitUntil = WaitUntilState.Commit });
        var job = System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query)["job"]!;
        await page.Locator($"#job-panel[data-job-id='{job}'][data-status='Succeeded']").WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        return job;
    }

    /// <summary>A job through the page's own session (POST /api/jobs), waited for until it has succeeded; its final state.</summary>
    public static async Task<JsonElement> GenerateThroughApiAsync(IPage page, object parameters)
    {
        var submitted = await page.APIRequest.PostAsync("/api/jobs", new() { DataObject = parameters });
        Assert.True(submitted.Status == 201, $"/api/jobs gave {submitted.Status}: {await submitted.TextAsync()}");
        var jobId = (await submitted.JsonAsync())!.Value.GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var job = (await (await page.APIRequest.GetAsync($"/api/jobs/{jobId}")).JsonAsync())!.Value;
            if (job.GetProperty("status").GetString() == "Succeeded")
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job still {job.GetProperty("status")} at the deadline");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the live preview has shown at least <paramref name="frames"/> frames.</summary>
    public static Task WaitForPreviewFramesAsync(IPage page, int frames) =>
        page.WaitForFunctionAsync(
            "n => Number(document.querySelector('#live-preview')?.dataset.frames ?? 0) >= n",
            frames,
            new() { Timeout = (float)Wait.TotalMilliseconds, PollingInterval = 20 });

    public sealed record RecordedFrame(string Url, string? Hash, bool ResultsShown, double At);

    public static async Task<IReadOnlyList<RecordedFrame>> RecordedFramesAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>(
            "() => JSON.stringify(window.__previewFrames.filter(f => window.__previewShown.has(f.url)))");
        return JsonSerializer.Deserialize<List<RecordedFrame>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
