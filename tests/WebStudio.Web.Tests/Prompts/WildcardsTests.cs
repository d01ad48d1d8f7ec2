using WebStudio.Studio.Prompts;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>sd-dynamic-prompts' wildcards: __name__ is a choice of the lines of name.txt in the wildcards folder.</summary>
[Trait("Capability", "StudioCore")]
public sealed class WildcardsTests : IDisposable
{
    private readonly WildcardFolder _folder = new();

    private Wildcards Library => _folder.Library;

    private void Write(string name, params string[] lines) => _folder.Write(name + ".txt", string.Join('\n', lines) + "\n");

    private IReadOnlyList<string> Prompts(string prompt) => _folder.Prompts(prompt);

    [Fact]
    public void A_wildcard_is_a_choice_of_its_files_lines_without_comments_or_blank_lines_and_a_folder_names_a_part()
    {
        Write("colors", "# the colours", "red", "", "  blue  ");
        Write("animals/cats", "tabby cat", "black cat");

        Assert.Equal(["a red tabby cat", "a red black cat", "a blue tabby cat", "a blue black cat"], Prompts("a __colors__ __animals/cats__"));
        Assert.Equal(["animals/cats", "colors"], Library.Names());
        Assert.Equal(["hair_red", "hair_blue"], Prompts("hair___colors__"));
    }

    [Fact]
    public void A_line_may_hold_choices_and_other_wildcards()
    {
        Write("colors", "red", "blue");
        Write("places", "on the left", "above a {small|big} __colors__ square");

        Assert.Equal(["a star on the left", "a star above a small red square", "a star above a small blue square",
            "a star above a big red square", "a star above a big blue square"], Prompts("a star __places__"));
        Assert.Equal(10, DynamicPrompts.Of("a __colors__ star __places__", "", wildcards: Library).Count);
    }

    [Fact]
    public void A_missing_or_empty_wildcard_is_named_with_those_there_are()
    {
        Assert.Equal("the prompt: there is no wildcard __colors__ (at character 3), nor any other: an administrator adds them as text files, an option a line",
            DynamicPrompts.Of("a __colors__ star", "", wildcards: Library).Problem!.Message);

        Write("colours", "red");
        Write("shapes", "# nothing yet", "");
        var missing = DynamicPrompts.Of("a star", "__colors__", wildcards: Library).Problem!;
        Assert.Equal("negativePrompt", missing.Field);
        Assert.Equal("the negative prompt: there is no wildcard __colors__ (at character 1); there are __colours__, __shapes__", missing.Message);
        Assert.Equal("the prompt: the wildcard __shapes__ has no options: its file has no line of text",
            DynamicPrompts.Of("a __shapes__", "", wildcards: Library).Problem!.Message);
    }

    [Fact]
    public void A_wildcard_that_takes_itself_in_is_refused_with_the_way_round()
    {
        Write("a", "one __b__");
        Write("b", "two", "{three|__a__}");

        Assert.Equal("the prompt: the wildcard __a__ takes itself in (__a__ → __b__ → __a__)",
            DynamicPrompts.Of("__a__", "", wildcards: Library).Problem!.Message);
    }

    [Fact]
    public void A_broken_line_is_named_and_a_file_too_large_is_refused_unread()
    {
        Write("broken", "fine", "a {red|blue");
        Assert.Equal("the prompt: the wildcard __broken__'s option \"a {red|blue\": the { at character 3 has no closing }",
            DynamicPrompts.Of("__broken__", "", wildcards: Library).Problem!.Message);

        File.WriteAllText(_folder.Combine("huge.txt"), new string('x', (int)Wildcards.MaxFileBytes + 1));
        Assert.StartsWith("the prompt: the wildcard __huge__ is a file of 1,048,577 bytes, more than the 1,048,576",
            DynamicPrompts.Of("__huge__", "", wildcards: Library).Problem!.Message);
    }

    [Fact]
    public void Underscores_that_name_no_wildcard_a_path_out_of_the_folder_or_a_prompt_without_wildcards_stay_text()
    {
        Write("colors", "red");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_folder.Path)!, "secret.txt"), "leaked");

        foreach (var text in new[] { "snake_case and ____", "__../secret__", "__/etc/passwd__", "__.hidden__" })
        {
            var variants = DynamicPrompts.Of(text, "", wildcards: Library);
            Assert.Null(variants.Problem);
            Assert.Equal(text, Assert.Single(variants.Pairs).Prompt);
        }

        // Without a library (the API's prompts), __name__ is text as it always was.
        Assert.Equal("a __colors__ star", Assert.Single(DynamicPrompts.Of("a __colors__ star", "").Pairs).Prompt);
    }

    [Fact]
    public void A_changed_file_is_read_again_and_a_draw_takes_wildcards_lines()
    {
        Write("colors", "red", "blue");
        var library = Library;
        Assert.Equal(["red", "blue"], WildcardFolder.Texts(library, "colors"));

        Write("colors", "green", "navy", "pink");
        File.SetLastWriteTimeUtc(_folder.Combine("colors.txt"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(["green", "navy", "pink"], WildcardFolder.Texts(library, "colors"));

        var drawn = DynamicPrompts.Draw("a __colors__ {circle|star|ring}", "", 4, seed: 3, library);
        Assert.Equal(9, drawn.Count);
        Assert.Equal(4, drawn.Pairs.Distinct().Count());
        Assert.All(drawn.Pairs, pair => Assert.Matches("^a (green|navy|pink) (circle|star|ring)$", pair.Prompt));
    }

    [Fact]
    public void Several_of_a_wildcards_lines_are_taken_at_once_without_one_twice()
    {
        Write("colors", "red", "blue", "green");

        Assert.Equal(["red and blue", "red and green", "blue and red", "blue and green", "green and red", "green and blue"],
            Prompts("{2$$ and $$__colors__}"));
    }

    [Fact]
    public void A_name_with_a_star_takes_the_lines_of_every_wildcard_it_matches()
    {
        Write("colors-cold", "blue", "green");
        Write("colors-warm", "red");
        Write("animals/cats", "tabby cat");
        Write("animals/dogs", "terrier");

        Assert.Equal(["blue", "green", "red"], Prompts("__colors*__"));
        Assert.Equal(["a tabby cat", "a terrier"], Prompts("a __animals/*__"));
        Assert.Equal("the prompt: no wildcard matches __shapes*__ (at character 3); there are __animals/cats__, __animals/dogs__, __colors-cold__, __colors-warm__",
            DynamicPrompts.Of("a __shapes*__", "", wildcards: Library).Problem!.Message);
        Assert.Equal("the prompt: no wildcard matches __x*__ (at character 1), for there are none: an administrator adds them as text files, an option a line",
            DynamicPrompts.Of("__x*__", "", wildcards: new Wildcards(_folder.Combine("none"))).Problem!.Message);
    }

    public void Dispose() => _folder.Dispose();
}
