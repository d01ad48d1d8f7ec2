using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The studio under its Content-Security-Policy in headless chromium: registering, generating with live previews (the
/// circuit's WebSocket, the hub, blob: images) and opening every page raise no policy violation.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class ContentSecurityPolicyBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    // The browser reports each violation as this event; the page logs it where the test can read it.
    private const string ReportViolations =
        "document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));";

    [Fact]
    public async Task The_studio_works_under_its_content_security_policy_without_a_single_violation()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server);
        await context.AddInitScriptAsync(ReportViolations);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.StartsWith("CSP violation", StringComparison.Ordinal))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };

        await BrowserSession.RecordingFailuresAsync(nameof(The_studio_works_under_its_content_security_policy_without_a_single_violation), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("policy"));
            const string prompt = "a green triangle";
            await StudioPages.FillPromptAsync(page, prompt);
            await StudioPages.GenerateAsync(page, prompt);
            await page.Locator("#results img.result-image").WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });

            foreach (var path in new[] { "/history", "/galleries", "/edit", "/queue", "/api-keys" })
            {
                await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
            }

            Assert.True(violations.Count == 0, string.Join("\n", violations));
        });
    }
}
