using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The Refine view end to end on the tiny model and a tiny instruction model, at desktop and phone size: a first
/// picture from a prompt, an instruction turn, a branch from the first turn, two turns compared, and an undo, with the
/// list of threads following each of them.
/// </summary>
[Trait("Capability", "InstructEdit")]
public sealed class RefineBrowserTests
{
    [Theory]
    [InlineData(1400, 900)]
    [InlineData(390, 844)]
    public async Task A_prompt_then_instructions_make_turns_that_branch_compare_and_undo(int width, int height)
    {
        using var sandbox = new StudioSandbox();
        sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        TinyStableDiffusion.Write(Path.Combine(sandbox.ModelsPath, "tiny-edit"), TinyModelVariant.InstructEdit);
        // The instruction model's card turns its automatic mask on: the "Keep the rest" box starts ticked.
        File.WriteAllText(Path.Combine(sandbox.ModelsPath, "tiny-edit", "card.json"), """{"defaults": {"imageGuidance": 2, "autoMask": 0.4}}""");
        // A second instruction model, with no card: the branch turn is made on it, picked under "More".
        TinyStableDiffusion.Write(Path.Combine(sandbox.ModelsPath, "tiny-edit-2"), TinyModelVariant.InstructEdit);
        await using var server = await StudioHost.StartAsync(sandbox.Options());
        await using var browser = await BrowserSession.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = width, Height = height },
        });
        await using var _ = context;
        context.SetDefaultTimeout((float)StudioPages.Wait.TotalMilliseconds);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync($"Refine_{width}x{height}", context, server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("refiner"));
            await page.GotoAsync("/refine");
            await StudioPages.WaitForCircuitAsync(page);

            await TurnAsync(page, "a red circle", 1);
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/refine\\?thread="));
            await Assertions.Expect(page.Locator("#refine-keep-rest")).ToBeCheckedAsync();
            await TurnAsync(page, "make the circle blue", 2, pressEnter: true);
            await Assertions.Expect(page.Locator("li[data-turn='2']")).ToContainTextAsync("image 2 · auto mask 0.4");
            // Shift+Enter starts a new line and sends nothing.
            await page.Locator("#refine-instruction").FillAsync("make the circle");
            await page.Locator("#refine-instruction").PressAsync("Shift+Enter");
            await Assertions.Expect(page.Locator("#refine-instruction")).ToHaveValueAsync("make the circle\n");
            await Assertions.Expect(page.Locator("#refine-turns li")).ToHaveCountAsync(2);

            // Back to the first turn, and a branch from it on the other instruction model, with that model's defaults.
            await page.Locator("li[data-turn='1'] button.refine-turn").ClickAsync();
            await Assertions.Expect(page.Locator("li[data-turn='1']")).ToHaveAttributeAsync("data-selected", "true");
            await page.Locator("#refine-more summary").ClickAsync();
            await Assertions.Expect(page.Locator("#refine-model")).ToHaveValueAsync("tiny-edit");
            await page.Locator("#refine-model").SelectOptionAsync("tiny-edit-2");
            await Assertions.Expect(page.Locator("#refine-keep-rest")).Not.ToBeCheckedAsync();
            await page.Locator("#refine-sampler").SelectOptionAsync("DDIM");
            await TurnAsync(page, "make the circle green", 3);
            await Assertions.Expect(page.Locator("li[data-turn='3']")).ToContainTextAsync("tiny-edit-2 · seed");
            await Assertions.Expect(page.Locator("li[data-turn='3']")).ToContainTextAsync("· DDIM, 20 steps ·");
            await Assertions.Expect(page.Locator("li[data-turn='3']")).ToContainTextAsync("image 1.5");
            await Assertions.Expect(page.Locator("#refine-turns li")).ToHaveCountAsync(3);

            // Compare the two branches side by side.
            await page.Locator("li[data-turn='2'] input.refine-compare-pick").CheckAsync();
            await page.Locator("li[data-turn='3'] input.refine-compare-pick").CheckAsync();
            await Assertions.Expect(page.Locator("#refine-compare")).ToContainTextAsync("Turn 2 and turn 3");

            // The list of threads marks this one, with its turns and its latest turn's picture.
            var listed = page.Locator("#refine-threads a[aria-current='page']");
            await Assertions.Expect(listed).ToContainTextAsync("a red circle");
            await Assertions.Expect(listed).ToContainTextAsync("3 turns");
            await Assertions.Expect(listed.Locator("img")).ToHaveAttributeAsync("src", (await page.Locator("li[data-turn='3'] img").GetAttributeAsync("src"))!);

            // Undo the last turn: the thread keeps the other two, and the list says so.
            await page.Locator("#refine-undo").ClickAsync();
            await Assertions.Expect(page.Locator("#refine-turns li")).ToHaveCountAsync(2);
            await Assertions.Expect(listed).ToContainTextAsync("2 turns");
            await Assertions.Expect(listed.Locator("img")).ToHaveAttributeAsync("src", (await page.Locator("li[data-turn='2'] img").GetAttributeAsync("src"))!);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));

            // The thread goes into a gallery, whose page shows its turns in order.
            var made = await page.APIRequest.PostAsync("/api/galleries", new() { DataObject = new { name = "Conversations" } });
            Assert.Equal(201, made.Status);
            var gallery = (await made.JsonAsync())!.Value.GetProperty("id").GetString();
            await page.ReloadAsync();
            await StudioPages.WaitForCircuitAsync(page);
            await page.Locator("#refine-add-to-gallery summary").ClickAsync();
            await page.Locator($"button.refine-gallery[data-gallery-id='{gallery}']").ClickAsync();
            await Assertions.Expect(page.Locator("#refine-gallery-note")).ToContainTextAsync("The thread is in “Conversations”");
            await page.GotoAsync($"/galleries/{gallery}");
            await Assertions.Expect(page.Locator(".gallery-thread li.gallery-turn")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator(".gallery-thread li.gallery-turn").Nth(1)).ToContainTextAsync("make the circle blue");

            // Deleted, the thread leaves the list with its pictures; Undo brings it back.
            await page.GoBackAsync();
            await StudioPages.WaitForCircuitAsync(page);
            await page.Locator("#refine-delete-thread").ClickAsync();
            await Assertions.Expect(page.Locator("#refine-deleted")).ToContainTextAsync("“a red circle” and its 2 pictures were deleted");
            await Assertions.Expect(page.Locator("#refine-turns")).ToHaveCountAsync(0);
            await page.Locator("#refine-undo-delete").ClickAsync();
            await Assertions.Expect(page.Locator("#refine-turns li")).ToHaveCountAsync(2);
        });
    }

    /// <summary>Types the turn's text, presses Generate (or Enter in the box, as in a chat) and waits until the turn's
    /// picture is in the list.</summary>
    private static async Task TurnAsync(IPage page, string text, int number, bool pressEnter = false)
    {
        var box = page.Locator("#refine-instruction");
        var generate = page.Locator("#refine-generate");
        var deadline = DateTime.UtcNow + StudioPages.Wait;
        do
        {
            await box.FillAsync(text); // until the circuit enables Generate
            await page.WaitForTimeoutAsync(200);
        }
        while (await generate.IsDisabledAsync() && DateTime.UtcNow < deadline);

        if (pressEnter)
        {
            await box.PressAsync("Enter");
        }
        else
        {
            await generate.ClickAsync();
        }

        var error = page.Locator("#refine-error");
        var turn = page.Locator($"li[data-turn='{number}'] img");
        await turn.Or(error).First.WaitForAsync();
        Assert.False(await error.IsVisibleAsync(), await error.IsVisibleAsync() ? await error.InnerTextAsync() : "");
        await Assertions.Expect(page.Locator($"li[data-turn='{number}']")).ToContainTextAsync(text);
    }
}
