using Microsoft.Playwright;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>
/// Headless Debian chromium (/usr/bin/chromium) driven by Playwright; Playwright cannot download its own browsers
/// here. One browser per test class; each user gets a fresh context (own cookies).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserSession> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as tests/test.sh does.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new BrowserSession(playwright, browser);
    }

    public Task<IBrowserContext> NewContextAsync(StudioHost server) =>
        Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString().TrimEnd('/'), AcceptDownloads = true });

    /// <summary>A context with a screen of its own size: 390×844 is a phone, 1400×900 a desktop.</summary>
    public Task<IBrowserContext> NewContextAsync(StudioHost server, int width, int height) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            AcceptDownloads = true,
            // Not IsMobile: a mobile viewport widens itself to fit wide content, which would hide a page that scrolls sideways.
            ViewportSize = new() { Width = width, Height = height },
        });

    /// <summary>
    /// Runs a browser scenario; on failure saves a full-page screenshot of every open page of <paramref name="context"/>
    /// into TestResults/&lt;test&gt;-N.png and the server's output into TestResults/&lt;test&gt;.log, then rethrows.
    /// </summary>
    public static async Task RecordingFailuresAsync(string testName, IBrowserContext context, StudioHost server, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch
        {
            Directory.CreateDirectory(StudioPaths.TestResults);
            var index = 0;
            foreach (var page in context.Pages)
            {
                try
                {
                    await page.ScreenshotAsync(new() { Path = Path.Combine(StudioPaths.TestResults, $"{testName}-{index++}.png"), FullPage = true });
                }
                catch (PlaywrightException)
                {
                    // A closed or crashed page has nothing to show.
                }
            }

            await File.WriteAllTextAsync(Path.Combine(StudioPaths.TestResults, $"{testName}.log"), server.Log);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
