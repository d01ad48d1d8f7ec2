using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>A1111's Styles on the Generate form: the prompts saved as a named style, applied to other prompts later
/// ("{prompt}" marking where the form's prompt goes), undone, and deleted; what is applied is what runs.</summary>
[Trait("Capability", "StudioUx")]
public sealed class PromptStylesBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task A_saved_style_is_applied_to_new_prompts_undone_kept_across_a_reload_and_deleted()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_saved_style_is_applied_to_new_prompts_undone_kept_across_a_reload_and_deleted), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("styles"));
            await StudioPages.FillPromptAsync(page, "{prompt} on white");
            await page.Locator("#negative-prompt").FillAsync("blurry");
            Assert.True(await page.Locator("#style").IsDisabledAsync()); // none saved yet

            // A name left empty is refused by name; then saved.
            await page.Locator("button[aria-label='Save as style']").ClickAsync();
            await page.Locator("#save-style").ClickAsync();
            await Assertions.Expect(page.GetByText("The style needs a name.")).ToBeVisibleAsync(new() { Timeout = Wait });
            await page.Locator("#style-name").FillAsync("On white");
            await page.Locator("#save-style").ClickAsync();
            await Assertions.Expect(page.GetByText("Style \"On white\" saved.")).ToBeVisibleAsync(new() { Timeout = Wait });

            // A new prompt, the style applied: it goes where {prompt} is, and the negative prompt follows the form's.
            await page.ReloadAsync();
            await StudioPages.FillPromptAsync(page, "a red circle");
            await page.Locator("#negative-prompt").FillAsync("dark");
            await page.Locator("#negative-prompt").PressAsync("Tab");
            await StudioPages.SelectAsync(page, "Style", "On white");
            await page.Locator("button[aria-label='Apply style']").ClickAsync();
            await Assertions.Expect(page.Locator("#prompt")).ToHaveValueAsync("a red circle on white", new() { Timeout = Wait });
            await Assertions.Expect(page.Locator("#negative-prompt")).ToHaveValueAsync("dark, blurry");

            // Undo on the notice gives the prompts back; applied again, it is what the job runs.
            await page.Locator(".mud-snackbar").Filter(new() { HasText = "applied" }).GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
            await Assertions.Expect(page.Locator("#prompt")).ToHaveValueAsync("a red circle", new() { Timeout = Wait });
            await Assertions.Expect(page.Locator("#negative-prompt")).ToHaveValueAsync("dark");
            await page.Locator("button[aria-label='Apply style']").ClickAsync();
            await Assertions.Expect(page.Locator("#prompt")).ToHaveValueAsync("a red circle on white", new() { Timeout = Wait });
            await StudioPages.FillNumberAsync(page, "steps", "2");
            var job = await StudioPages.GenerateAsync(page, "a red circle on white");
            var spec = await (await page.APIRequest.GetAsync($"/api/jobs/{job}")).JsonAsync();
            Assert.Equal("dark, blurry", spec!.Value.GetProperty("negativePrompt").GetString());

            // Deleting asks first, then the list is empty again.
            await page.Locator("button[aria-label='Delete style']").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Style \"On white\" deleted.")).ToBeVisibleAsync(new() { Timeout = Wait });
            Assert.True(await page.Locator("#style").IsDisabledAsync());
        });
    }

    [Fact]
    public async Task The_edit_form_applies_the_same_styles()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 900);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_edit_form_applies_the_same_styles), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("edit-styles"));
            var saved = await page.APIRequest.PostAsync("/api/styles", new() { DataObject = new { name = "Poster", prompt = "poster of {prompt}", negativePrompt = "blurry" } });
            Assert.Equal(201, saved.Status);

            await page.GotoAsync("/edit");
            await StudioPages.WaitForCircuitAsync(page);
            await page.Locator("#edit-prompt").FillAsync("a green triangle");
            await StudioPages.SelectAsync(page, "Style", "Poster");
            await page.Locator("button[aria-label='Apply style']").ClickAsync();

            await Assertions.Expect(page.Locator("#edit-prompt")).ToHaveValueAsync("poster of a green triangle", new() { Timeout = Wait });
        });
    }
}
