using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The lightbox on History, Generate, a gallery and a share page, at desktop and phone size: a click opens the full
/// view with the small image upscaled with sharp pixels, the arrow keys move through the list, zoom works, the
/// parameters and the actions sit beside (or below) the image, and nothing scrolls sideways. And History's delete
/// with its Undo snackbar.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class LightboxBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private const string Prompt = "a red circle above a blue square";

    [Theory]
    [InlineData(1400, 900)]
    [InlineData(390, 844)]
    public async Task Clicking_an_image_opens_a_sharp_zoomable_lightbox_with_its_parameters_and_actions_everywhere(int width, int height)
    {
        await using var context = await NewContextAsync(width, height);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync($"Lightbox_{width}x{height}", context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("viewer"));
            var (jobId, images) = await GenerateAsync(page, batch: 2);
            var gallery = await PostJsonAsync(page, "/api/galleries/", new { name = "Lightbox walk" });
            Assert.Equal(201, (await page.APIRequest.PutAsync($"/api/galleries/{gallery.GetProperty("id").GetGuid()}/images/{images[0]}")).Status);
            var share = (await PostJsonAsync(page, $"/api/images/{images[0]}/shares", new { })).GetProperty("url").GetString()!;

            // History: the list, both images of the batch, in order.
            await page.GotoAsync("/history");
            await OpenAsync(page, ".history-item .lightbox-trigger", images[0], $"1 / {images.Count}");
            await ExpectSharpAndUpscaledAsync(page);
            var parameters = await page.Locator("#lightbox-params").InnerTextAsync();
            Assert.Contains(Prompt, parameters);
            Assert.Contains("Seed: ", parameters);
            Assert.Contains("Steps: 4", parameters);
            Assert.Contains("?download=true", await page.Locator("#lightbox-download").GetAttributeAsync("href"));
            Assert.Equal($"/edit?image={images[0]}", await page.Locator("#lightbox-edit").GetAttributeAsync("href"));
            await ExpectVisibleInViewportAsync(page, "#lightbox-close", "#lightbox-next", "#lightbox-download", "#lightbox-edit", "#lightbox-gallery", "#lightbox-copy");

            await page.Keyboard.PressAsync("ArrowRight");
            await ExpectShowingAsync(page, images[1], $"2 / {images.Count}");
            await page.Keyboard.PressAsync("ArrowRight"); // the end of the list: stays
            await ExpectShowingAsync(page, images[1], $"2 / {images.Count}");
            await page.Keyboard.PressAsync("ArrowLeft");
            await ExpectShowingAsync(page, images[0], $"1 / {images.Count}");

            // Zoom: in doubles past the fit, out and "Fit" come back.
            var fitWidth = await ShownWidthAsync(page);
            await page.Locator("#lightbox-zoom-in").ClickAsync();
            Assert.True(await ShownWidthAsync(page) > fitWidth, "zoom in did not enlarge the image");
            await page.Locator("#lightbox-fit").ClickAsync();
            Assert.Equal(fitWidth, await ShownWidthAsync(page));

            // Actions: copy the parameters; add to a gallery (already there from the API).
            await page.Locator("#lightbox-copy").ClickAsync();
            await Assertions.Expect(page.Locator("#lightbox-status")).ToHaveTextAsync("Parameters copied.");
            Assert.Equal(parameters, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await page.Locator("#lightbox-gallery").ClickAsync();
            await page.Locator("#lightbox-galleries button").Filter(new() { HasText = "Lightbox walk" }).ClickAsync();
            await Assertions.Expect(page.Locator("#lightbox-status")).ToHaveTextAsync("Already in Lightbox walk.");
            await ExpectNoSidewaysScrollAsync(page);

            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("#lightbox")).ToBeHiddenAsync();

            // Generate: the job's batch.
            await page.GotoAsync($"/generate?job={jobId}");
            await OpenAsync(page, "#results .lightbox-trigger", images[0], $"1 / {images.Count}");
            await ExpectSharpAndUpscaledAsync(page);
            await page.Keyboard.PressAsync("ArrowRight");
            await ExpectShowingAsync(page, images[1], $"2 / {images.Count}");
            await ExpectNoSidewaysScrollAsync(page);
            await page.Keyboard.PressAsync("Escape");

            // A gallery: its one image.
            await page.GotoAsync($"/galleries/{gallery.GetProperty("id").GetGuid()}");
            await OpenAsync(page, ".gallery-image .lightbox-trigger", images[0], "1 / 1");
            await ExpectSharpAndUpscaledAsync(page);
            await page.Keyboard.PressAsync("Escape");

            // A share page, logged out: a sensible size inline, the lightbox without the owner's actions.
            await using var visitor = await NewContextAsync(width, height);
            var visitorPage = await visitor.NewPageAsync();
            await visitorPage.GotoAsync(share);
            await visitorPage.WaitForFunctionAsync("() => { const i = document.querySelector('figure.shared-image img'); return i && i.complete && i.naturalWidth > 0; }");
            var inline = await visitorPage.EvaluateAsync<double>("() => document.querySelector('figure.shared-image img').getBoundingClientRect().width");
            Assert.True(inline >= 256, $"the shared image is shown {inline:0} px wide");
            await ExpectNoSidewaysScrollAsync(visitorPage);
            await visitorPage.Locator("figure.shared-image .lightbox-trigger").ClickAsync();
            await Assertions.Expect(visitorPage.Locator("#lightbox-counter")).ToHaveTextAsync("1 / 1");
            await ExpectSharpAndUpscaledAsync(visitorPage);
            Assert.Contains(Prompt, await visitorPage.Locator("#lightbox-params").InnerTextAsync());
            await Assertions.Expect(visitorPage.Locator("#lightbox-edit")).ToBeHiddenAsync();
            await Assertions.Expect(visitorPage.Locator("#lightbox-gallery")).ToBeHiddenAsync();
            await Assertions.Expect(visitorPage.Locator("#lightbox-download")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Deleting_from_history_offers_undo_and_undo_brings_the_generation_back()
    {
        await using var context = await NewContextAsync(1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Deleting_from_history_offers_undo_and_undo_brings_the_generation_back), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("undoer"));
            var (jobId, images) = await GenerateAsync(page, batch: 1);
            await page.GotoAsync("/history");
            var item = page.Locator($".history-item[data-job-id='{jobId}']");
            await item.WaitForAsync(new() { Timeout = Ms(StudioPages.Wait) });

            // Clicks do nothing until the circuit is live: repeat until the snackbar says it happened.
            var undo = page.Locator(".history-undo").GetByRole(AriaRole.Button, new() { Name = "Undo" });
            await StudioPages.UntilAsync(() => item.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync(new() { Timeout = 2000 }), undo);
            await Assertions.Expect(item).ToHaveCountAsync(0);
            Assert.Equal(404, (await page.APIRequest.GetAsync($"/api/images/{images[0]}")).Status);

            await undo.ClickAsync();
            await Assertions.Expect(page.GetByText("Restored.")).ToBeVisibleAsync();
            await Assertions.Expect(item).ToHaveCountAsync(1);
            Assert.Equal(200, (await page.APIRequest.GetAsync($"/api/images/{images[0]}")).Status);
        });
    }

    private async Task<IBrowserContext> NewContextAsync(int width, int height)
    {
        var context = await studio.Browser.Browser.NewContextAsync(new()
        {
            BaseURL = studio.Server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(Ms(StudioPages.Wait));
        return context;
    }

    private async Task<(Guid Job, List<Guid> Images)> GenerateAsync(IPage page, int batch)
    {
        var job = await StudioPages.GenerateThroughApiAsync(page, new
        {
            prompt = Prompt, model = studio.ModelName, scheduler = "Euler a", steps = 4, guidance = 7, seed = 21,
            width = studio.ModelSize, height = studio.ModelSize, batchSize = batch,
        });
        return (job.GetProperty("id").GetGuid(), job.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList());
    }

    private static async Task<System.Text.Json.JsonElement> PostJsonAsync(IPage page, string url, object body)
    {
        var response = await page.APIRequest.PostAsync(url, new() { DataObject = body });
        Assert.True(response.Status == 201, $"{url} gave {response.Status}: {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }

    private static async Task OpenAsync(IPage page, string triggers, Guid image, string counter)
    {
        // A click on the prerendered page, before the circuit is live, does nothing: click until the lightbox opens
        // (a loaded fresh-clone run clicked too early and waited for a lightbox that never came).
        await StudioPages.UntilAsync(() => page.Locator(triggers).First.ClickAsync(new() { Timeout = 2000 }), page.Locator("#lightbox:visible"));
        await ExpectShowingAsync(page, image, counter);
    }

    private static async Task ExpectShowingAsync(IPage page, Guid image, string counter)
    {
        await Assertions.Expect(page.Locator("#lightbox")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#lightbox-counter")).ToHaveTextAsync(counter);
        await Assertions.Expect(page.Locator("#lightbox-image")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex($"{image}$"));
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#lightbox-image'); return i.complete && i.naturalWidth > 0; }");
    }

    /// <summary>The small image fills the view upscaled, with crisp pixels rather than a blur.</summary>
    private static async Task ExpectSharpAndUpscaledAsync(IPage page)
    {
        var seen = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "() => { const i = document.querySelector('#lightbox-image'); return { natural: i.naturalWidth, shown: i.getBoundingClientRect().width, rendering: getComputedStyle(i).imageRendering }; }");
        var natural = seen.GetProperty("natural").GetInt32();
        var shown = seen.GetProperty("shown").GetDouble();
        var rendering = seen.GetProperty("rendering").GetString();
        Assert.True(shown > natural * 1.5, $"a {natural}-px image is shown {shown:0} px wide");
        Assert.Equal("pixelated", rendering);
    }

    private static Task<double> ShownWidthAsync(IPage page) =>
        page.EvaluateAsync<double>("() => document.querySelector('#lightbox-image').getBoundingClientRect().width");

    private static async Task ExpectVisibleInViewportAsync(IPage page, params string[] selectors)
    {
        var viewport = page.ViewportSize!;
        foreach (var selector in selectors)
        {
            var box = await page.Locator(selector).BoundingBoxAsync();
            Assert.True(box is not null, $"{selector} is not shown");
            Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= viewport.Width + 1 && box.Y + box.Height <= viewport.Height + 1,
                $"{selector} at {box.X:0},{box.Y:0} ({box.Width:0}×{box.Height:0}) is outside the {viewport.Width}×{viewport.Height} view");
        }
    }

    private static async Task ExpectNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");


    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
