using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The admin area in headless chromium: the first account sees the administrator's badge and the Users link, lists
/// a member on /admin/users, disables them there, and finds the disable in the audit log.
/// </summary>
[Trait("Capability", "TeamAdmin")]
public sealed class AdminUsersBrowserTests : IAsyncLifetime
{
    private readonly StudioSandbox _sandbox = new();
    private StudioHost _server = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        _server = await StudioHost.StartAsync(_sandbox.Options(new Dictionary<string, string?> { ["Generation:DefaultModel"] = StudioSandbox.TinyModelName }));
        _browser = await BrowserSession.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _sandbox.Dispose();
    }

    [Fact]
    public async Task The_administrator_disables_a_member_on_the_users_page_and_the_audit_log_shows_it()
    {
        await using var context = await _browser.NewContextAsync(_server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_administrator_disables_a_member_on_the_users_page_and_the_audit_log_shows_it), context, _server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("admin")); // the first account
            await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            using var member = await StudioHttpUser.RegisterAsync(_server, StudioFixture.NewEmail("member"));

            await page.GotoAsync("/admin/users");
            await StudioPages.WaitForCircuitAsync(page);
            var row = page.Locator($"tr.user-row[data-user='{member.Email}']");
            await Assertions.Expect(row.Locator(".user-status")).ToHaveTextAsync("active", new() { Timeout = 30_000 });
            await Assertions.Expect(row.Locator("select.user-role")).ToHaveValueAsync("Member");
            await row.Locator(".user-toggle").ClickAsync();
            await Assertions.Expect(row.Locator(".user-status")).ToHaveTextAsync("disabled", new() { Timeout = 30_000 });

            await page.GotoAsync("/admin/audit");
            await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync("user.disable", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync(member.Email);
        });
    }
}
