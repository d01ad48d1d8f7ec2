using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The admin area in headless chromium: the first account sees the administrator's badge and the Users link, lists
/// a member on /admin/users, disables them there, copies an invitation link, and finds both in the audit log; sets a member's own quotas there;
/// deletes a member only once a dialog has said what goes; a role's limit that is not a number is refused on /admin/roles.
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
            // Disabling cancels the member's jobs, so it asks first: Cancel leaves them active.
            var dialog = page.Locator(".mud-dialog");
            await (await MoreActionsAsync(page, member.Email)).Locator(".user-toggle").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync($"Disable {member.Email}?", new() { Timeout = 30_000 });
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(row.Locator(".user-status")).ToHaveTextAsync("active");
            await (await MoreActionsAsync(page, member.Email)).Locator(".user-toggle").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
            await Assertions.Expect(row.Locator(".user-status")).ToHaveTextAsync("disabled", new() { Timeout = 30_000 });

            // An invitation link is one tap to copy, as an API key is.
            await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            await page.Locator("#invite").ClickAsync();
            var notice = page.Locator("#admin-notice");
            await Assertions.Expect(notice).ToContainTextAsync("One-time invitation link (Member): http", new() { Timeout = 30_000 });
            await page.Locator("#copy-admin-link").ClickAsync();
            await Assertions.Expect(page.GetByText("Copied.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
            Assert.StartsWith("http", copied, StringComparison.Ordinal);
            Assert.Contains(copied, await notice.InnerTextAsync(), StringComparison.Ordinal);

            // On a phone the table scrolls inside its box, and a row stays one line: its GPU time and last activity
            // were broken into columns of fragments, four lines high.
            await page.SetViewportSizeAsync(390, 844);
            var sizes = await row.EvaluateAsync<double[]>(
                "r => [r.getBoundingClientRect().height, document.documentElement.scrollWidth, r.closest('.mud-table-container').clientWidth]");
            Assert.True(sizes[0] < 60, $"a user's row is {sizes[0]} px high at 390 px");
            Assert.True(sizes[1] <= 390 && sizes[2] <= 390, $"the page is {sizes[1]} px wide, the table's box {sizes[2]} px");

            // The newest entries: the invitation, and the disable before it.
            await page.GotoAsync("/admin/audit");
            await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync("user.invite", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("tr.audit-row").Nth(1)).ToContainTextAsync("user.disable");
            await Assertions.Expect(page.Locator("tr.audit-row").Nth(1)).ToContainTextAsync(member.Email);
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

    /// <summary>Deleting an account was one click on a red button, with the account's images. It now asks first, naming
    /// the account and its images; Esc or Cancel keeps everything, and "Delete, keep images" gives them to the administrator.</summary>
    [Fact]
    public async Task Deleting_a_member_asks_first_and_keep_images_gives_them_to_the_administrator()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Deleting_a_member_asks_first_and_keep_images_gives_them_to_the_administrator), context, Server, async () =>
        {
            var admin = StudioFixture.NewEmail("admin");
            using var member = await AdminWithMemberOnUsersPageAsync(page, admin);
            var jobId = await member.SubmitAsync(new { prompt = "a red circle", model = StudioSandbox.TinyModelName, scheduler = "Euler a", steps = 2, guidance = 7, seed = 1, batchSize = 1 });
            var imageUrl = (await member.WaitForJobAsync(jobId)).GetProperty("images")[0].GetProperty("url").GetString()!;
            await page.ReloadAsync();
            await StudioPages.WaitForCircuitAsync(page);
            var row = page.Locator($"tr.user-row[data-user='{member.Email}']");
            var dialog = page.Locator(".mud-dialog");

            await (await MoreActionsAsync(page, member.Email)).Locator(".user-delete").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync($"Delete {member.Email}?", new() { Timeout = 30_000 });
            await Assertions.Expect(dialog).ToContainTextAsync("Their 1 image can be kept");
            await Assertions.Expect(dialog).ToContainTextAsync("This cannot be undone.");
            // The dialog takes the focus from the closed menu, so that Esc and Tab act in it.
            await page.WaitForFunctionAsync("() => document.activeElement?.closest('.mud-dialog-container') != null", null, new() { Timeout = 30_000 });
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            Assert.Equal("Succeeded", (await member.GetJobAsync(jobId)).GetProperty("status").GetString());

            await (await MoreActionsAsync(page, member.Email)).Locator(".user-delete").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(row).ToHaveCountAsync(1);

            await (await MoreActionsAsync(page, member.Email)).Locator(".user-delete").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete, keep images" }).ClickAsync();
            await Assertions.Expect(page.Locator("#admin-notice")).ToContainTextAsync($"{member.Email} was deleted; their images are now yours.", new() { Timeout = 30_000 });
            await Assertions.Expect(row).ToHaveCountAsync(0);
            var image = await page.APIRequest.GetAsync(imageUrl);
            Assert.Equal(200, image.Status);

            // The administrator's own row offers neither Disable nor Delete.
            var own = await MoreActionsAsync(page, admin);
            await Assertions.Expect(own.Locator(".user-delete")).ToHaveAttributeAsync("aria-disabled", "true");
            await Assertions.Expect(own.Locator(".user-toggle")).ToHaveAttributeAsync("aria-disabled", "true");
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
    private async Task<StudioHttpUser> AdminWithMemberOnUsersPageAsync(IPage page, string? admin = null)
    {
        await StudioPages.RegisterAsync(page, admin ?? StudioFixture.NewEmail("admin"));
        await Assertions.Expect(page.Locator("#admin-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var member = await StudioHttpUser.RegisterAsync(Server, StudioFixture.NewEmail("member"));
        await page.GotoAsync("/admin/users");
        await StudioPages.WaitForCircuitAsync(page);
        return member;
    }

    /// <summary>Opens the row's "More" menu; returns the open menu, which MudBlazor draws outside the table.</summary>
    private static async Task<ILocator> MoreActionsAsync(IPage page, string email)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"More for {email}" }).ClickAsync();
        var menu = page.Locator(".mud-popover-open");
        await Assertions.Expect(menu.Locator(".user-toggle")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return menu;
    }
}
