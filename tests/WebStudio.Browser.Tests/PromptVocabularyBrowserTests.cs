using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The Generate page is honest about the built-in model's vocabulary: words it never saw are marked below the prompt
/// box as they are typed, and the model card's example prompts are chips that fill the box. At desktop and phone size.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class PromptVocabularyBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    [Theory]
    [InlineData(1400, 900)]
    [InlineData(390, 844)]
    public async Task Unknown_words_are_marked_as_typed_and_example_chips_fill_the_prompt(int width, int height)
    {
        await using var context = await studio.Browser.Browser.NewContextAsync(new()
        {
            BaseURL = studio.Server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync($"{nameof(Unknown_words_are_marked_as_typed_and_example_chips_fill_the_prompt)}-{width}", context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("words"));
            var wait = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)StudioPages.Wait.TotalMilliseconds };
            if (studio.ModelName == StudioSandbox.TinyModelName)
            {
                return; // the tiny stand-in model has no card: nothing to mark
            }

            // Typed once the page is interactive (the helper types again until the counter follows).
            await StudioPages.FillPromptAsync(page, "a red heart");
            var unknown = page.Locator("#unknown-words");
            await Assertions.Expect(unknown).ToBeVisibleAsync(wait);
            await Assertions.Expect(unknown).ToContainTextAsync("heart", new() { Timeout = wait.Timeout });
            await Assertions.Expect(unknown).Not.ToContainTextAsync("red");

            await StudioPages.FillPromptAsync(page, "a red circle");
            await Assertions.Expect(unknown).ToHaveCountAsync(0, new() { Timeout = wait.Timeout });

            var chip = page.Locator("#example-prompts .example-prompt").First;
            await Assertions.Expect(chip).ToBeVisibleAsync(wait);
            var example = (await chip.InnerTextAsync()).Trim();
            await chip.ClickAsync();
            await Assertions.Expect(page.Locator("#prompt")).ToHaveValueAsync(example, new() { Timeout = wait.Timeout });
            await Assertions.Expect(unknown).ToHaveCountAsync(0);
        });
    }
}
