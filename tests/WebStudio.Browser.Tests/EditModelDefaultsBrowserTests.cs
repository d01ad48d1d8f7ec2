using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The Edit page takes a model's defaults when the model is chosen, as the Generate form does: a Turbo folder (an
/// SD-Turbo-shaped tiny model, "turbo" in its name and trailing timesteps) gives guidance 0 and the fewest steps that
/// denoise once at the operation's strength, which the page says under the steps; the edit then runs on it.
/// </summary>
[Trait("Capability", "UserModels")]
public sealed class EditModelDefaultsBrowserTests
{
    [Fact]
    public async Task Choosing_a_turbo_model_on_the_edit_page_takes_its_defaults_and_the_edit_runs()
    {
        using var sandbox = new StudioSandbox();
        sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        TinyStableDiffusion.Write(Path.Combine(sandbox.ModelsPath, "tiny-turbo"), TinyModelVariant.SdTurbo);
        await using var server = await StudioHost.StartAsync(sandbox.Options());
        await using var browser = await BrowserSession.LaunchAsync();
        await using var context = await browser.NewContextAsync(server);
        var page = await context.NewPageAsync();
        var wait = (float)StudioPages.Wait.TotalMilliseconds;
        await BrowserSession.RecordingFailuresAsync(nameof(Choosing_a_turbo_model_on_the_edit_page_takes_its_defaults_and_the_edit_runs), context, server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("turbo-editor"));
            await StudioPages.FillPromptAsync(page, "a red circle");
            await StudioPages.FillNumberAsync(page, "steps", "4");
            await StudioPages.GenerateAsync(page, "a red circle");
            var generated = page.Locator("#results img.result-image");
            await generated.WaitForAsync(new() { Timeout = wait });
            var sourceId = Guid.Parse((await generated.GetAttributeAsync("data-image-id"))!);

            await page.GotoAsync($"/edit?image={sourceId}");
            await StudioPages.WaitForCircuitAsync(page);
            var steps = page.Locator("#edit-steps");
            await Assertions.Expect(steps).ToHaveValueAsync("4", new() { Timeout = wait }); // the source job's settings

            await StudioPages.SelectAsync(page, "Model", "tiny-turbo");
            await Assertions.Expect(steps).ToHaveValueAsync("2");
            await Assertions.Expect(page.GetByText("1 of them denoise at strength 0.75")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#edit-guidance")).ToHaveValueAsync("0");

            // A hires fix at 0.05 needs 20 steps to denoise once.
            await page.Locator("#edit-operation").GetByText("Hires fix", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(steps).ToHaveValueAsync("20");
            await page.Locator("#edit-operation").GetByText("Restyle", new() { Exact = true }).ClickAsync();
            await StudioPages.FillNumberAsync(page, "edit-steps", "1");
            await Assertions.Expect(page.GetByText("None denoise at strength 0.75: use at least 2")).ToBeVisibleAsync();
            await StudioPages.FillNumberAsync(page, "edit-steps", "2");

            await page.Locator("#run-edit").ClickAsync();
            var result = page.Locator("#results img.result-image");
            await result.WaitForAsync(new() { Timeout = wait });
            Assert.NotEqual(sourceId.ToString(), await result.GetAttributeAsync("data-image-id"));
        });
    }
}
