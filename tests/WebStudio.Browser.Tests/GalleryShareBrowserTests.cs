using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// Galleries and share links in headless chromium against the real server on the tiny model: user A makes a
/// gallery and shares it, a logged-out browser sees the images, A revokes and the link shows 404, and user B can
/// neither list nor open A's history. And a PNG carrying A1111 parameters, dropped on the Generate page, fills its form.
/// </summary>
public sealed class GalleryShareBrowserTests : OwnStudioTest
{
    private const string Prompt = "a harbour at dawn with two boats";

    protected override async Task OnStartedAsync()
    {
        using var admin = await StudioHttpUser.RegisterAsync(Server, StudioFixture.NewEmail("admin")); // A and B are ordinary users
    }

    [Fact]
    public async Task A_shared_gallery_opens_logged_out_until_revoked_and_another_user_sees_none_of_it()
    {
        await using var owner = await Browser.NewContextAsync(Server);
        var page = await owner.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_shared_gallery_opens_logged_out_until_revoked_and_another_user_sees_none_of_it), owner, Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("owner"));
            var imageId = await GenerateAsync(page);

            // A makes a gallery…
            await page.GotoAsync("/galleries");
            await StudioPages.UntilAsync(async () =>
            {
                await page.Locator("#new-gallery-name").FillAsync("Harbour walk");
                await page.Locator("#create-gallery").ClickAsync();
            }, page.Locator(".gallery-card").Filter(new() { HasText = "Harbour walk" }));

            // …adds the image to it from the history…
            await page.GotoAsync("/history");
            var item = page.Locator(".history-item").Filter(new() { HasText = Prompt });
            await item.WaitForAsync(new() { Timeout = Ms(StudioPages.Wait) });
            await StudioPages.UntilAsync(async () =>
            {
                await item.Locator("button.add-to-gallery").ClickAsync();
                await page.Locator(".mud-popover-open .mud-menu-item, .mud-popover-open .mud-list-item").Filter(new() { HasText = "Harbour walk" }).First.ClickAsync(new() { Timeout = 2000 });
            }, page.GetByText("Added to Harbour walk"));
            await ShotAsync(page, "history");

            // …and shares it.
            await page.GotoAsync("/galleries");
            await WaitForImageAsync(page, ".gallery-card img");
            await ShotAsync(page, "galleries");
            // A link clicked on the prerendered page, before the circuit is up, can change the address and nothing else.
            await StudioPages.WaitForCircuitAsync(page);
            await page.Locator(".gallery-card a.gallery-link").First.ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/galleries/", StringComparison.Ordinal));
            var galleryUrl = page.Url;
            await WaitForImageAsync(page, ".gallery-image img");
            await StudioPages.UntilAsync(() => page.Locator("#create-share").ClickAsync(), page.Locator("#new-share-url"));
            var link = (await page.Locator("#new-share-url").GetAttributeAsync("href"))!;
            Assert.Matches("/s/[A-Za-z0-9_-]{43}$", link);
            await ShotAsync(page, "gallery");

            // A fresh, logged-out browser opens the link and sees the image at full size.
            await using var visitor = await Browser.NewContextAsync(Server);
            var visitorPage = await visitor.NewPageAsync();
            var opened = await visitorPage.GotoAsync(link);
            Assert.Equal(200, opened!.Status);
            Assert.Equal("Harbour walk", await visitorPage.TitleAsync());
            await WaitForImageAsync(visitorPage, "figure.shared-image img");
            Assert.Equal(64, await visitorPage.EvaluateAsync<int>("() => document.querySelector('figure.shared-image img').naturalWidth"));
            Assert.Contains(Prompt, await visitorPage.Locator("#shared-images").InnerTextAsync());
            var ogImage = (await visitorPage.Locator("meta[property='og:image']").GetAttributeAsync("content"))!;
            Assert.StartsWith(Server.BaseAddress.ToString().TrimEnd('/') + "/s/", ogImage);
            Assert.EndsWith($"/images/{imageId}", ogImage);
            var preview = await visitor.APIRequest.GetAsync(ogImage);
            Assert.Equal(200, preview.Status);
            Assert.Equal("image/png", preview.Headers["content-type"]);

            // Nothing on the public page leads into the owner's account.
            var hrefs = await visitorPage.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))");
            Assert.All(hrefs, href => Assert.StartsWith("/s/", href));
            await ShotAsync(visitorPage, "share");

            // A revokes the link, once asked: Cancel leaves it open, and the dialog's Revoke makes the next request a
            // plain 404.
            await page.GotoAsync(galleryUrl);
            var revoke = page.Locator(".share-link[data-active='true'] .revoke-share").First;
            var dialog = page.Locator(".mud-dialog");
            await StudioPages.UntilAsync(() => revoke.ClickAsync(), dialog.GetByText("Revoke this link?"));
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = Ms(StudioPages.Wait) });
            Assert.Equal(200, (await visitorPage.ReloadAsync())!.Status);
            await revoke.ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await page.Locator(".share-link[data-active='false']").WaitForAsync(new() { Timeout = Ms(StudioPages.Wait) });
            var revoked = await visitorPage.ReloadAsync();
            Assert.Equal(404, revoked!.Status);
            Assert.Contains("Not found", await visitorPage.Locator("body").InnerTextAsync());
            Assert.DoesNotContain(Prompt, await visitorPage.ContentAsync());
            Assert.Equal(404, (await visitor.APIRequest.GetAsync(ogImage)).Status);
            await ShotAsync(visitorPage, "revoked");

            // User B lists an empty history and cannot open A's image, history item or gallery.
            await using var other = await Browser.NewContextAsync(Server);
            var otherPage = await other.NewPageAsync();
            await StudioPages.RegisterAsync(otherPage, StudioFixture.NewEmail("other"));
            await otherPage.GotoAsync("/history");
            await otherPage.Locator("#history-empty").WaitForAsync(new() { Timeout = Ms(StudioPages.Wait) });
            Assert.DoesNotContain(Prompt, await otherPage.ContentAsync());
            var history = await other.APIRequest.GetAsync("/api/history");
            Assert.Equal(200, history.Status);
            Assert.DoesNotContain(Prompt, await history.TextAsync());
            Assert.Equal(404, (await other.APIRequest.GetAsync($"/api/images/{imageId}")).Status);
            Assert.Equal(404, (await other.APIRequest.GetAsync($"/api/images/{imageId}/thumb")).Status);
            Assert.Equal(404, (await otherPage.GotoAsync(galleryUrl))!.Status);
            Assert.DoesNotContain("Harbour walk", await otherPage.ContentAsync());

            // A deletes the gallery, once asked: Keep keeps it; Delete takes it away, and the picture stays in A's history.
            await page.GotoAsync(galleryUrl);
            await StudioPages.UntilAsync(() => page.Locator("#delete-gallery").ClickAsync(), dialog.GetByText("Its share links stop working"));
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = Ms(StudioPages.Wait) });
            await page.Locator("#delete-gallery").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            // Blazor moves to /galleries within the page, with no load event to wait for: the address is polled.
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/galleries$"), new() { Timeout = Ms(StudioPages.Wait) });
            Assert.Equal(404, (await page.APIRequest.GetAsync(galleryUrl)).Status);
            Assert.Contains(Prompt, await (await page.APIRequest.GetAsync("/api/history")).TextAsync());
        });
    }

    [Fact]
    public async Task Dropping_a_png_with_a1111_parameters_on_the_generate_page_fills_the_form()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Dropping_a_png_with_a1111_parameters_on_the_generate_page_fills_the_form), context, Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("importer"));
            var png = new FilePayload
            {
                Name = "from-a1111.png",
                MimeType = "image/png",
                Buffer = PngWithParameters("a lighthouse from a file\nNegative prompt: rain, fog\nSteps: 7, Sampler: Euler, Schedule type: Automatic, CFG scale: 5.5, Seed: 777, Size: 64x64, Model hash: 1234abcd, Model: tiny, Version: v1.10.1"),
            };

            // Prerendered first: the drop zone reacts once the circuit is live.
            await StudioPages.UntilAsync(() => page.Locator("#import-png").SetInputFilesAsync(png), page.Locator("#import-message"));

            Assert.Contains("Settings read from from-a1111.png", await page.Locator("#import-message").InnerTextAsync());
            Assert.Equal("a lighthouse from a file", await page.Locator("#prompt").InputValueAsync());
            Assert.Equal("rain, fog", await page.Locator("#negative-prompt").InputValueAsync());
            Assert.Equal("7", await page.Locator("#steps").InputValueAsync());
            Assert.Equal("5.5", await page.Locator("#guidance").InputValueAsync());
            Assert.Equal("777", await page.Locator("#seed").InputValueAsync());
            await ShotAsync(page, "import");

            var plain = new FilePayload { Name = "plain.png", MimeType = "image/png", Buffer = PngWithParameters(null) };
            await page.Locator("#import-png").SetInputFilesAsync(plain);
            await page.Locator("#import-message").Filter(new() { HasText = "plain.png: the PNG has no" }).WaitForAsync(new() { Timeout = Ms(StudioPages.Wait) });
            Assert.Equal("a lighthouse from a file", await page.Locator("#prompt").InputValueAsync());
        });
    }

    private static byte[] PngWithParameters(string? parameters)
    {
        using var image = new Image<Rgb24>(64, 64, new Rgb24(20, 40, 60));
        if (parameters is not null)
        {
            image.Metadata.GetPngMetadata().TextData.Add(new PngTextData("parameters", parameters, "", ""));
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { TextCompressionThreshold = int.MaxValue });
        return stream.ToArray();
    }

    /// <summary>A job on the tiny model through the page's own session; returns its image id.</summary>
    private static async Task<Guid> GenerateAsync(IPage page)
    {
        var job = await StudioPages.GenerateThroughApiAsync(page,
            new { prompt = Prompt, model = StudioSandbox.TinyModelName, scheduler = "Euler a", steps = 3, guidance = 7, seed = 11, width = 64, height = 64, batchSize = 1 });
        return job.GetProperty("images")[0].GetProperty("id").GetGuid();
    }


    private static Task WaitForImageAsync(IPage page, string selector) =>
        page.WaitForFunctionAsync(
            "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
            selector,
            new() { Timeout = Ms(StudioPages.Wait) });

    /// <summary>Saves a screenshot when WEBSTUDIO_SCREENSHOTS names a folder (for looking at the pages by eye).</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("WEBSTUDIO_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"gallery-share-{name}.png"), FullPage = true });
        }
    }

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
