using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;
using WebStudio.Tests.Shared;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The model manager's page in headless chromium at a desktop's 1400×900: the administrator reaches it from the top
/// bar (with Log out still on the screen), copies a model folder in, sees it listed with its figures, removes it
/// through the confirmation, then uploads a zip (installed) and a file that is not one (refused with the reason).
/// </summary>
[Trait("Capability", "UserModels")]
public sealed class ModelsBrowserTests : OwnStudioTest
{
    private const string SidewaysScroll = "() => [document.scrollingElement.scrollWidth, window.innerWidth]";

    [Fact]
    public async Task The_administrator_installs_a_folder_and_removes_it_on_the_models_page()
    {
        await using var context = await Browser.NewContextAsync(Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_administrator_installs_a_folder_and_removes_it_on_the_models_page), context, Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("admin"));
            await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            // At 1400 px an administrator's links give way to the menu (they need 1424 px): Models and Log out are there.
            await page.Locator("#nav-toggle").ClickAsync();
            var drawer = page.Locator("#nav-drawer");
            await Assertions.Expect(drawer.GetByText("Log out", new() { Exact = true })).ToBeInViewportAsync(new() { Ratio = 1 });
            var models = drawer.GetByText("Models", new() { Exact = true });
            await Assertions.Expect(models).ToBeInViewportAsync(new() { Ratio = 1 });
            await models.ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/models", new() { Timeout = 30_000 });
            await StudioPages.WaitForCircuitAsync(page);
            await Assertions.Expect(page.Locator($"tr.model-row[data-model='{StudioSandbox.TinyModelName}'] .model-default")).ToBeVisibleAsync(new() { Timeout = 30_000 });

            await page.Locator("input#install-folder-path, #install-folder-path input").First.FillAsync(TinyModelFolders.Shared.Folder("DiffusersScript"));
            await page.Locator("input#install-name, #install-name input").First.FillAsync("browser-copy");
            await page.Keyboard.PressAsync("Tab");
            await page.Locator("#install-folder").ClickAsync();
            var row = page.Locator("tr.model-row[data-model='browser-copy']");
            await Assertions.Expect(row.Locator(".model-precision")).ToHaveTextAsync("fp32", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#models-notice")).ToContainTextAsync("browser-copy installed");
            var widths = await page.EvaluateAsync<int[]>(SidewaysScroll);
            Assert.True(widths[0] <= widths[1], $"the models page scrolls sideways: {widths[0]} px of content in {widths[1]} px");

            await row.Locator(".model-remove").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
            await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            Assert.False(Directory.Exists(Path.Combine(Server.ModelsPath, "browser-copy")));

            // A zip goes over HTTP (not the circuit) with a live bar, and installs under the file's name.
            await page.Locator("input#install-name, #install-name input").First.FillAsync("");
            await page.Keyboard.PressAsync("Tab");
            using var scratch = new TempFolder();
            var zip = scratch.Combine("browser-zip.zip");
            System.IO.Compression.ZipFile.CreateFromDirectory(TinyModelFolders.Shared.Folder("DiffusersScript"), zip);
            var uploads = new List<string>();
            page.Request += (_, request) => uploads.Add($"{request.Method} {new Uri(request.Url).PathAndQuery}");
            await page.Locator("#install-zip").SetInputFilesAsync(zip);
            await Assertions.Expect(page.Locator("tr.model-row[data-model='browser-zip'] .model-precision")).ToHaveTextAsync("fp32", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#models-notice")).ToContainTextAsync("browser-zip installed");
            Assert.Contains("POST /api/admin/models/zip?fileName=browser-zip.zip", uploads);

            await page.Locator("#install-zip").SetInputFilesAsync(new FilePayload { Name = "broken.zip", MimeType = "application/zip", Buffer = "not a zip"u8.ToArray() });
            await Assertions.Expect(page.Locator("#models-notice")).ToContainTextAsync("This is not a zip file", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("tr.model-row[data-model='broken']")).ToHaveCountAsync(0);
        });
    }
}
