using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The admin area in headless chromium: the first account sees the administrator's badge and the Users link, lists
/// a member on /admin/users, disables them there, and finds the disable in the audit log; sets a member's own quotas there;
/// a role's limit that is not a number is refused on /admin/roles.
/// </summary>
[Trait("Capability", "TeamAdmin")]
public sealed class AdminUsersBrowserTests : OwnStudioTest
{
    [Fact]
    public async Task The_administrator_disables_a_member_on_the_users_page_and_the_audit_log_shows_it()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_administrator_disables_a_member_on_the_users_page_and_the_audit_log_shows_it), context, Server, async () =>
        {
            using var member = await AdminWithMemberOnUsersPageAsync(page);
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

    [Fact]
    public async Task The_administrator_sets_a_members_quota_override_on_the_users_page_and_bad_numbers_get_a_clear_error()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_administrator_sets_a_members_quota_override_on_the_users_page_and_bad_numbers_get_a_clear_error), context, Server, async () =>
        {
            using var member = await AdminWithMemberOnUsersPageAsync(page);
            var row = page.Locator($"tr.user-row[data-user='{member.Email}']");
            await Assertions.Expect(row.Locator(".user-quota")).ToHaveTextAsync("role's", new() { Timeout = 30_000 });
            await row.Locator(".user-quota-edit").ClickAsync();
            var editor = page.Locator($"tr.quota-editor[data-user='{member.Email}']");

            await editor.Locator("input.quota-images").FillAsync("ten");
            await editor.Locator(".quota-save").ClickAsync();
            await Assertions.Expect(editor.Locator(".quota-error")).ToContainTextAsync("images per day: write a whole number", new() { Timeout = 30_000 });
            await editor.Locator("input.quota-images").FillAsync("-3");
            await editor.Locator(".quota-save").ClickAsync();
            await Assertions.Expect(editor.Locator(".quota-error")).ToContainTextAsync("must not be negative", new() { Timeout = 30_000 });

            await editor.Locator("input.quota-images").FillAsync("7");
            await editor.Locator("input.quota-queued").FillAsync("3");
            await editor.Locator(".quota-save").ClickAsync();
            await Assertions.Expect(row.Locator(".user-quota")).ToHaveTextAsync("own: 7 images/day · 3 queued", new() { Timeout = 30_000 });

            // It holds: the member's Generate page counts down from the override, and the change is audited.
            var generate = await member.Http.GetStringAsync("/");
            Assert.Contains("7 of 7 images", generate, StringComparison.Ordinal);
            Assert.Contains("3 of 3 queue places", generate, StringComparison.Ordinal);
            await page.GotoAsync("/admin/audit");
            await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync("images/day 7", new() { Timeout = 30_000 });
        });
    }

    /// <summary>
    /// A role's limit typed as "10k": the field said "Not a valid number" while it bound no limit, and Save stored that,
    /// removing the role's quota. Save now refuses it and the stored quota stays. An allowed model that is not installed
    /// is saved with a warning that names it.
    /// </summary>
    [Fact]
    public async Task A_roles_limit_that_is_not_a_number_is_refused_and_an_allowed_model_not_installed_is_named()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_roles_limit_that_is_not_a_number_is_refused_and_an_allowed_model_not_installed_is_named), context, Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("admin"));
            await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.GotoAsync("/admin/roles");
            await StudioPages.WaitForCircuitAsync(page);
            var member = page.Locator(".role-policy[data-role='Member']");
            var images = member.GetByLabel("Images per day");
            var notice = page.Locator("#roles-notice");

            await images.FillAsync("25");
            await images.BlurAsync();
            await member.Locator(".role-save").ClickAsync();
            await Assertions.Expect(notice).ToHaveTextAsync("Member saved.", new() { Timeout = 30_000 });

            // The installed models' names are under the list; one listed that is not installed is kept, with a
            // warning that names it.
            await Assertions.Expect(member.GetByText($"Installed: {StudioSandbox.TinyModelName}")).ToBeVisibleAsync();
            var models = member.GetByLabel("Allowed models");
            await models.FillAsync("no-such-model");
            await models.BlurAsync();
            await member.Locator(".role-save").ClickAsync();
            await Assertions.Expect(notice).ToContainTextAsync("Member saved, but no model called 'no-such-model' is installed", new() { Timeout = 30_000 });
            await models.FillAsync("");
            await models.BlurAsync();

            await images.FillAsync("10k");
            await images.BlurAsync();
            await member.Locator(".role-save").ClickAsync();
            await Assertions.Expect(notice).ToContainTextAsync("Member not saved: a field marked in red does not hold a number", new() { Timeout = 30_000 });

            await page.ReloadAsync();
            await StudioPages.WaitForCircuitAsync(page);
            await Assertions.Expect(page.Locator(".role-policy[data-role='Member']").GetByLabel("Images per day")).ToHaveValueAsync("25", new() { Timeout = 30_000 });
        });
    }

    /// <summary>Registers the administrator (the first account) in <paramref name="page"/> and a member over HTTP,
    /// and opens /admin/users once its circuit is live.</summary>
    private async Task<StudioHttpUser> AdminWithMemberOnUsersPageAsync(IPage page)
    {
        await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("admin"));
        await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var member = await StudioHttpUser.RegisterAsync(Server, StudioFixture.NewEmail("member"));
        await page.GotoAsync("/admin/users");
        await StudioPages.WaitForCircuitAsync(page);
        return member;
    }
}
