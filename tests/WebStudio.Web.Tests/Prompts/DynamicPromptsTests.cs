using WebStudio.Studio.Prompts;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>Dynamic prompts as sd-dynamic-prompts and InvokeAI write them: {a|b} choices make every combination.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicPromptsTests
{
    private static IReadOnlyList<string> Prompts(string prompt) => DynamicPrompts.Of(prompt, "").Pairs.Select(p => p.Prompt).ToList();

    [Fact]
    public void Each_group_takes_each_option_in_turn_and_the_last_group_changes_fastest()
    {
        var variants = DynamicPrompts.Of("a {red|blue} {circle|star} on white", "");

        Assert.Null(variants.Problem);
        Assert.True(variants.Varies);
        Assert.Equal(4, variants.Count);
        Assert.Equal(["a red circle on white", "a red star on white", "a blue circle on white", "a blue star on white"],
            variants.Pairs.Select(p => p.Prompt));
        Assert.All(variants.Pairs, p => Assert.Equal("", p.NegativePrompt));
    }

    [Fact]
    public void Groups_nest_and_an_option_may_be_empty()
    {
        Assert.Equal(["a red circle", "a blue circle", "a star"], Prompts("{a {red|blue} circle|a star}"));
        Assert.Equal(["a circle", "a big circle"], Prompts("a {|big }circle"));
    }

    [Fact]
    public void A_prompt_without_a_choice_stays_as_written_braces_and_escapes_included()
    {
        foreach (var text in new[] { "a red circle", "{prompt}, poster", "a {big} circle", "an open { brace", "a \\{red|blue\\} circle", "stray } brace" })
        {
            var variants = DynamicPrompts.Of(text, "blurry");
            Assert.Null(variants.Problem);
            Assert.False(variants.Varies, text);
            Assert.Equal(new PromptPair(text, "blurry"), Assert.Single(variants.Pairs));
        }
    }

    [Fact]
    public void A1111s_alternation_inside_a_group_is_not_split_and_its_syntax_passes_through()
    {
        Assert.Equal(["a [red|blue] circle", "a (star:1.3)"], Prompts("{a [red|blue] circle|a (star:1.3)}"));
        Assert.Equal(["[cat|dog] red", "[cat|dog] blue"], Prompts("[cat|dog] {red|blue}"));
    }

    [Fact]
    public void The_negative_prompts_choices_pair_with_each_prompt()
    {
        var variants = DynamicPrompts.Of("a {red|blue} circle", "{blurry|dark}");

        Assert.Equal(4, variants.Count);
        Assert.Equal(
            [new PromptPair("a red circle", "blurry"), new PromptPair("a red circle", "dark"), new PromptPair("a blue circle", "blurry"), new PromptPair("a blue circle", "dark")],
            variants.Pairs);
    }

    [Fact]
    public void An_unclosed_group_is_named_by_its_place_in_the_prompt_it_is_in()
    {
        var prompt = DynamicPrompts.Of("a {red|blue circle", "");
        Assert.Equal("prompt", prompt.Problem!.Field);
        Assert.Equal("the prompt: the { at character 3 has no closing }", prompt.Problem.Message);
        Assert.Empty(prompt.Pairs);

        var negative = DynamicPrompts.Of("a circle", "{dark|");
        Assert.Equal("negativePrompt", negative.Problem!.Field);
        Assert.StartsWith("the negative prompt: the { at character 1", negative.Problem.Message);
    }

    [Fact]
    public void Several_options_at_once_are_refused_rather_than_drawn_as_text()
    {
        var variants = DynamicPrompts.Of("a {2$$red|blue|green} circle", "");

        Assert.Contains("{n$$…} (several options at once) at character 3 is not supported", variants.Problem!.Message);
    }

    [Fact]
    public void More_combinations_than_the_limit_are_refused_with_their_count_without_making_them()
    {
        var tooMany = DynamicPrompts.Of("{a|b|c} {d|e|f} {g|h}", "", max: 17);
        Assert.Equal(18, tooMany.Count);
        Assert.Empty(tooMany.Pairs);
        Assert.Equal("the {…|…} choices make 18 prompts, and at most 17 can be queued at once: take out some choices", tooMany.Problem!.Message);

        // Forty groups of ten: counted without overflow and without being written out.
        var countless = DynamicPrompts.Of(string.Concat(Enumerable.Repeat("{0|1|2|3|4|5|6|7|8|9}", 40)), "");
        Assert.Equal(long.MaxValue, countless.Count);
        Assert.Contains("make countless prompts", countless.Problem!.Message);

        Assert.Equal(DynamicPrompts.MaxPrompts, DynamicPrompts.Of("{0|1|2|3|4|5|6|7|8|9}{0|1|2|3|4|5|6|7|8|9}", "").Pairs.Count);
    }
}
