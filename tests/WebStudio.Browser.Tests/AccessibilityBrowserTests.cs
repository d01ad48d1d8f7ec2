using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// Every page passes axe-core's WCAG rules in both themes, as an administrator with a picture made: a main landmark
/// and a level-one heading on each, names on every control, and text that reaches 4.5:1 on its background (the
/// Administrator badge, a job's Done chip and the Delete buttons did not, nor dark mode's secondary text); a dialog too.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class AccessibilityBrowserTests : OwnStudioTest
{
    private static readonly string[] Pages =
        ["/", "/edit", "/refine", "/history", "/galleries", "/queue", "/api-keys", "/admin/models", "/admin/users", "/admin/roles", "/admin/usage", "/admin/audit", "/admin/workers"];

    [Fact]
    public async Task Every_page_passes_axe_in_the_light_and_the_dark_theme()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Every_page_passes_axe_in_the_light_and_the_dark_theme), context, Server, async () =>
        {
            var found = new List<string>();
            await page.GotoAsync("/Account/Login");
            found.AddRange(await ViolationsAsync(page, "login"));
            await page.GotoAsync("/Account/Register");
            found.AddRange(await ViolationsAsync(page, "register"));

            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("axe"));
            await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            const string prompt = "a red circle";
            await StudioPages.FillPromptAsync(page, prompt);
            await StudioPages.FillNumberAsync(page, "steps", "2");
            await StudioPages.GenerateAsync(page, prompt);
            await page.Locator("#job-panel[data-status='Succeeded']").WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            var (gallery, share) = await SharedGalleryAsync(page);

            foreach (var theme in new[] { "light", "dark" })
            {
                if (theme == "dark")
                {
                    await page.Locator("#theme-toggle").ClickAsync();
                    await page.Locator("#theme-toggle[aria-pressed='true']").WaitForAsync();
                }

                foreach (var path in Pages.Append(gallery))
                {
                    await page.GotoAsync(path);
                    await StudioPages.WaitForCircuitAsync(page);
                    found.AddRange(await ViolationsAsync(page, $"{theme} {path}"));
                }

                // A dialog that asks before something is lost: revoking the gallery's link, then Esc.
                await page.Locator(".share-link[data-active='true'] .revoke-share").First.ClickAsync();
                await page.Locator(".mud-dialog").GetByText("Revoke this link?").WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
                found.AddRange(await ViolationsAsync(page, $"{theme} the dialog on {gallery}"));
                await page.WaitForFunctionAsync("() => document.activeElement?.closest('.mud-dialog-container') != null");
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            }

            // The public pages: a share link, and one that does not work.
            await using var visitor = await Browser.NewContextAsync(Server);
            var visitorPage = await visitor.NewPageAsync();
            await visitorPage.GotoAsync(share);
            found.AddRange(await ViolationsAsync(visitorPage, "share page"));
            await visitorPage.GotoAsync(share[..^4] + "AAAA");
            found.AddRange(await ViolationsAsync(visitorPage, "dead share link"));

            Assert.True(found.Count == 0, "axe found:\n" + string.Join("\n", found));
        });
    }

    /// <summary>A gallery made on the Galleries page, with a share link made on its own: its path and the link.</summary>
    private static async Task<(string Gallery, string Share)> SharedGalleryAsync(IPage page)
    {
        await page.GotoAsync("/galleries");
        await StudioPages.WaitForCircuitAsync(page);
        await page.Locator("#new-gallery-name").FillAsync("Harbour");
        await page.Locator("#create-gallery").ClickAsync();
        var gallery = (await page.Locator(".gallery-card a.gallery-link").First.GetAttributeAsync("href", new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds }))!;
        await page.GotoAsync(gallery);
        await StudioPages.WaitForCircuitAsync(page);
        await page.Locator("#create-share").ClickAsync();
        var share = (await page.Locator("#new-share-url").GetAttributeAsync("href", new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds }))!;
        return (gallery, share);
    }

    /// <summary>Each rule broken on the page, with the first few elements that break it.</summary>
    private static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        return result.Violations.Select(v =>
            $"{where}: {v.Impact} {v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target.ToString()))}");
    }
}
