using Microsoft.Playwright;

namespace WebStudio.Benchmarks;

/// <summary>Open Blazor circuits: Generate pages in headless Debian chromium, each waited on until it is interactive.</summary>
public sealed class StudioCircuits : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private IBrowserContext? _context;

    private StudioCircuits(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Opens <paramref name="count"/> Generate pages of one signed-in user.</summary>
    public static async Task<StudioCircuits> OpenAsync(Uri baseAddress, string email, string password, int count)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var circuits = new StudioCircuits(playwright, browser);
        var context = circuits._context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/') });
        var login = await context.NewPageAsync();
        await login.GotoAsync("/Account/Login");
        await login.Locator("[id='Input.Email']").FillAsync(email);
        await login.Locator("[id='Input.Password']").FillAsync(password);
        await login.Locator("#login-submit").ClickAsync();
        await login.Locator("#generate").WaitForAsync();
        await login.CloseAsync();
        await circuits.AddAsync(count);
        return circuits;
    }

    /// <summary>Opens <paramref name="count"/> more Generate pages, each interactive (a live circuit) when it returns.</summary>
    public async Task AddAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var page = await _context!.NewPageAsync();
            await page.GotoAsync("/");
            await WaitInteractiveAsync(page);
            // CIRCUIT_BENCH_HTML=file: the live page's markup, to see which components a circuit keeps.
            if (Environment.GetEnvironmentVariable("CIRCUIT_BENCH_HTML") is { } file)
            {
                await File.WriteAllTextAsync(file, await page.ContentAsync());
            }
        }
    }

    // The page is prerendered; the prompt's character counter only reacts once the circuit is live.
    private static async Task WaitInteractiveAsync(IPage page)
    {
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("#prompt").FillAsync("x");
            try
            {
                await page.GetByText("1 / 2000").First.WaitForAsync(new() { Timeout = 1000 });
                return;
            }
            catch (TimeoutException) when (attempt < 60)
            {
                // Not interactive yet.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
