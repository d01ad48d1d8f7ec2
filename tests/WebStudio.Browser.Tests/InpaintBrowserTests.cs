using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The Edit page end to end in headless chromium against the real server on the tiny model (64×64): paint a mask
/// on a generated image with the mouse, run the inpaint through the queue, and check that the result differs from
/// the source only inside the mask the browser sent.
/// </summary>
public sealed class InpaintBrowserTests
{
    [Fact]
    public async Task Painting_a_mask_and_inpainting_changes_the_image_only_inside_the_mask()
    {
        using var sandbox = new StudioSandbox();
        sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        await using var server = await StudioHost.StartAsync(sandbox.Options());
        await using var browser = await BrowserSession.LaunchAsync();
        await using var context = await browser.NewContextAsync(server);
        var page = await context.NewPageAsync();
        var wait = (float)StudioPages.Wait.TotalMilliseconds;
        await BrowserSession.RecordingFailuresAsync(nameof(Painting_a_mask_and_inpainting_changes_the_image_only_inside_the_mask), context, server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("inpainter"));
            await StudioPages.FillPromptAsync(page, "a red circle");
            await StudioPages.FillNumberAsync(page, "steps", "8");
            await StudioPages.GenerateAsync(page, "a red circle");
            var generated = page.Locator("#results img.result-image");
            await generated.WaitForAsync(new() { Timeout = wait });
            var sourceId = Guid.Parse((await generated.GetAttributeAsync("data-image-id"))!);

            // The Edit page, opened on that image; the toggle works once the interactive circuit is up.
            await page.GotoAsync($"/edit?image={sourceId}");
            var canvas = page.Locator("#mask-canvas");
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while (!await canvas.IsVisibleAsync())
            {
                Assert.True(DateTime.UtcNow < deadline, "the mask editor never appeared after choosing Inpaint");
                await page.Locator("#edit-operation").GetByText("Inpaint", new() { Exact = true }).ClickAsync();
                await page.WaitForTimeoutAsync(300);
            }

            await page.WaitForFunctionAsync("() => { const i = document.querySelector('#mask-editor img'); return i && i.complete && i.naturalWidth > 0; }",
                null, new() { Timeout = wait });
            var box = (await canvas.BoundingBoxAsync())!;
            await Stroke(page, box, (0.55, 0.45), (0.85, 0.45));
            await Stroke(page, box, (0.55, 0.65), (0.85, 0.65));
            Assert.True(int.Parse((await canvas.GetAttributeAsync("data-painted"))!) > 0, "the strokes painted nothing");
            // "Only masked" is the default inpaint area, with padding 7/32 of the side (measured for issue 20).
            Assert.Equal("14", await page.Locator("#only-masked-padding").InputValueAsync());

            await page.Locator("#run-edit").ClickAsync();
            var result = page.Locator("#results img.result-image");
            await result.WaitForAsync(new() { Timeout = wait });
            var resultId = (await result.GetAttributeAsync("data-image-id"))!;
            // The edit's result goes on to Refine from its panel, as a generated one does.
            Assert.Equal($"/refine?image={resultId}", await page.Locator("#results a[aria-label='Refine']").GetAttributeAsync("href"));

            using var source = await DownloadAsync(page, $"/api/images/{sourceId}");
            using var edited = await DownloadAsync(page, $"/api/images/{resultId}");
            using var mask = await Image.LoadAsync<L8>(Directory.GetFiles(Path.Combine(sandbox.Folder, "uploads"), "*.mask.png", SearchOption.AllDirectories).Single());
            Assert.Equal((source.Width, source.Height), (mask.Width, mask.Height));
            Assert.Equal((source.Width, source.Height), (edited.Width, edited.Height));

            var (painted, changedInside, changedOutside) = (0, 0, 0);
            for (var y = 0; y < source.Height; y++)
            {
                for (var x = 0; x < source.Width; x++)
                {
                    var inside = mask[x, y].PackedValue > 0;
                    var changed = source[x, y] != edited[x, y];
                    painted += inside ? 1 : 0;
                    changedInside += inside && changed ? 1 : 0;
                    changedOutside += !inside && changed ? 1 : 0;
                }
            }

            Assert.EndsWith(", Mask blur: 4, Inpaint area: Only masked, Masked area padding: 14", PngText.ReadTextChunks(await (await page.APIRequest.GetAsync($"/api/images/{resultId}")).BodyAsync())["parameters"]);
            Assert.InRange(painted, 20, source.Width * source.Height / 2);
            Assert.Equal(0, changedOutside);
            Assert.True(changedInside > painted / 4, $"only {changedInside} of {painted} masked pixels changed");
        });
    }

    [Fact]
    public async Task An_uploaded_image_is_upscaled_through_the_queue_and_a_wrong_file_gets_a_clear_error()
    {
        using var sandbox = new StudioSandbox();
        sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        await using var server = await StudioHost.StartAsync(sandbox.Options());
        await using var browser = await BrowserSession.LaunchAsync();
        await using var context = await browser.NewContextAsync(server);
        var page = await context.NewPageAsync();
        var wait = (float)StudioPages.Wait.TotalMilliseconds;
        await BrowserSession.RecordingFailuresAsync(nameof(An_uploaded_image_is_upscaled_through_the_queue_and_a_wrong_file_gets_a_clear_error), context, server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("upscaler"));
            await page.GotoAsync("/edit");
            using var picture = new Image<Rgb24>(24, 16, new Rgb24(200, 40, 90));
            using var png = new MemoryStream();
            await picture.SaveAsPngAsync(png);

            // The file input's change event reaches the page once the interactive circuit is up.
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while (!await page.Locator("#edit-source").IsVisibleAsync())
            {
                Assert.True(DateTime.UtcNow < deadline, "the uploaded image was never shown");
                // Before the circuit is live the prerendered tab ignores clicks and the input is not there yet.
                await page.GetByText("Upload", new() { Exact = true }).ClickAsync();
                if (await page.Locator("#source-file").IsVisibleAsync())
                {
                    await page.Locator("#source-file").SetInputFilesAsync(new FilePayload { Name = "red.png", MimeType = "image/png", Buffer = png.ToArray() });
                }

                await page.WaitForTimeoutAsync(500);
            }

            await page.Locator("#edit-operation").GetByText("Upscale", new() { Exact = true }).ClickAsync();
            await page.Locator("#run-edit", new() { HasText = "Upscale" }).ClickAsync();
            var result = page.Locator("#results img.result-image");
            await result.WaitForAsync(new() { Timeout = wait });
            using var upscaled = await DownloadAsync(page, (await result.GetAttributeAsync("src"))!);
            Assert.Equal((48, 32), (upscaled.Width, upscaled.Height));
            Assert.Equal(new Rgb24(200, 40, 90), upscaled[24, 16]);

            await page.Locator("#source-file").SetInputFilesAsync(new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "just text"u8.ToArray() });
            await page.Locator("#upload-error").WaitForAsync(new() { Timeout = wait });
            Assert.Contains("PNG, JPEG or WebP", await page.Locator("#upload-error").InnerTextAsync());
        });
    }

    // One mouse stroke across the canvas, between two points given as fractions of its box.
    private static async Task Stroke(IPage page, LocatorBoundingBoxResult box, (double X, double Y) from, (double X, double Y) to)
    {
        await page.Mouse.MoveAsync((float)(box.X + box.Width * from.X), (float)(box.Y + box.Height * from.Y));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(box.X + box.Width * to.X), (float)(box.Y + box.Height * to.Y), new() { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    private static async Task<Image<Rgb24>> DownloadAsync(IPage page, string url)
    {
        var response = await page.APIRequest.GetAsync(url);
        Assert.Equal(200, response.Status);
        return Image.Load<Rgb24>(await response.BodyAsync());
    }
}
