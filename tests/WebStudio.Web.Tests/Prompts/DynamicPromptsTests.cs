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
    public void Several_options_at_once_take_different_options_in_every_order_joined_by_a_comma()
    {
        Assert.Equal(["a red, blue circle", "a red, green circle", "a blue, red circle", "a blue, green circle", "a green, red circle", "a green, blue circle"],
            Prompts("a {2$$red|blue|green} circle"));
        // Each option makes its own texts in turn, within each order of the options.
        Assert.Equal(["x, z", "y, z", "z, x", "z, y"], Prompts("{2$${x|y}|z}"));
        Assert.Equal(6, DynamicPrompts.Of("{2$$red|blue|green}", "").Count);
    }

    [Fact]
    public void A_range_of_options_and_a_separator_of_ones_own_are_taken_as_sd_dynamic_prompts_bounds_them()
    {
        Assert.Equal(["a", "b", "a and b", "b and a"], Prompts("{1-2$$ and $$a|b}"));
        Assert.Equal(Prompts("{1-2$$a|b|c}"), Prompts("{-2$$a|b|c}"));
        Assert.Equal(Prompts("{2-3$$a|b|c}"), Prompts("{2-$$a|b|c}"));
        Assert.Equal(Prompts("{3$$a|b|c}"), Prompts("{4$$a|b|c}"));
        Assert.Equal(Prompts("{1-2$$a|b|c}"), Prompts("{2-1$$a|b|c}"));
        Assert.Equal(["x", "xa", "xb"], Prompts("x{0-1$$a|b}"));
        Assert.Equal(["a"], Prompts("{2$$a}"));
        Assert.Equal(15, DynamicPrompts.Of("{1-$$a|b|c}", "").Count);
    }

    [Fact]
    public void Several_options_without_how_many_are_refused_rather_than_drawn_as_text()
    {
        foreach (var prompt in new[] { "a {$$red|blue} circle", "a {two$$red|blue} circle" })
        {
            Assert.Equal("the prompt: the {…$$ at character 3 needs how many options to take before its $$: a number ({2$$a|b|c}) or a range ({1-3$$a|b|c})",
                DynamicPrompts.Of(prompt, "").Problem!.Message);
        }

        Assert.StartsWith("the prompt: the { at character 1 has no closing }", DynamicPrompts.Of("{2$$red", "").Problem!.Message);
    }

    [Fact]
    public void A_draw_from_several_options_at_once_finds_each_text_where_every_combination_lists_it()
    {
        // Options of 1, 1, 2 and 1 texts, one to three at once: 5 texts of one option, 18 of two, 42 of three.
        const string template = "{1-3$$ + $$a|b|{c|d}|e}";
        var every = DynamicPrompts.Of(template, "").Pairs.Select(p => p.Prompt).ToList();
        Assert.Equal(65, every.Count);
        Assert.Equal(every.Count, every.Distinct().Count());

        // Every draw of all but one is the listing without one: each text is found at its place by number.
        foreach (var seed in Enumerable.Range(0, 12))
        {
            var drawn = DynamicPrompts.Draw(template, "", every.Count - 1, seed).Pairs.Select(p => p.Prompt).ToList();
            Assert.Equal(every.Count - 1, drawn.Count);
            Assert.Equal(every.Where(drawn.Contains), drawn);
        }
    }

    [Fact]
    public void A_draw_of_many_options_from_many_is_counted_exactly_and_made_without_listing_them()
    {
        var options = string.Join('|', Enumerable.Range(0, 10_000).Select(i => $"o{i}"));

        var drawn = DynamicPrompts.Draw($"{{{DynamicPrompts.MaxTaken}$${options}}}", "", 3, seed: 5);

        Assert.Null(drawn.Problem);
        Assert.Equal("countless", drawn.CountText);
        Assert.All(drawn.Pairs, pair =>
        {
            var taken = pair.Prompt.Split(", ");
            Assert.Equal(DynamicPrompts.MaxTaken, taken.Length);
            Assert.Equal(DynamicPrompts.MaxTaken, taken.Distinct().Count());
        });
        // Drawn throughout, not only among the first options.
        Assert.True(drawn.Pairs.Select(p => p.Prompt.Split(", ")[0]).Distinct().Count() > 1);

        var unbounded = DynamicPrompts.Of("a {2-$$a|b|c|d|e|f|g|h|i|j|k|l} star", "").Problem!;
        Assert.Equal("the prompt: the {…$$ at character 3 takes up to 12 options at once, and at most 10 can be: bound it, as {1-3$$…} does", unbounded.Message);
    }

    [Fact]
    public void More_combinations_than_the_limit_are_refused_with_their_count_without_making_them()
    {
        var tooMany = DynamicPrompts.Of("{a|b|c} {d|e|f} {g|h}", "", max: 17);
        Assert.Equal(18, tooMany.Count);
        Assert.Empty(tooMany.Pairs);
        Assert.Equal("the choices make 18 prompts, and at most 17 can be queued at once: take out some choices, or draw some of them at random", tooMany.Problem!.Message);

        // Forty groups of ten: counted without overflow and without being written out.
        var countless = DynamicPrompts.Of(string.Concat(Enumerable.Repeat("{0|1|2|3|4|5|6|7|8|9}", 40)), "");
        Assert.Equal(long.MaxValue, countless.Count);
        Assert.Contains("make countless prompts", countless.Problem!.Message);

        Assert.Equal(DynamicPrompts.MaxPrompts, DynamicPrompts.Of("{0|1|2|3|4|5|6|7|8|9}{0|1|2|3|4|5|6|7|8|9}", "").Pairs.Count);
    }

    private const string Thousand = "a {0|1|2|3|4|5|6|7|8|9} {0|1|2|3|4|5|6|7|8|9} {0|1|2|3|4|5|6|7|8|9}";

    [Fact]
    public void A_draw_takes_different_combinations_in_the_listed_order_and_the_same_seed_draws_the_same()
    {
        var drawn = DynamicPrompts.Draw(Thousand, "", 8, seed: 42);

        Assert.Null(drawn.Problem);
        Assert.Equal(1000, drawn.Count);
        Assert.Equal(8, drawn.Pairs.Select(p => p.Prompt).Distinct().Count());
        // Each is one that every combination would list, and they come in that list's order.
        var every = DynamicPrompts.Of(Thousand, "", max: 1000).Pairs.Select(p => p.Prompt).ToList();
        var places = drawn.Pairs.Select(p => every.IndexOf(p.Prompt)).ToList();
        Assert.DoesNotContain(-1, places);
        Assert.Equal(places.Order(), places);

        Assert.Equal(drawn.Pairs, DynamicPrompts.Draw(Thousand, "", 8, seed: 42).Pairs);
        Assert.NotEqual(drawn.Pairs, DynamicPrompts.Draw(Thousand, "", 8, seed: 43).Pairs);
    }

    [Fact]
    public void Each_combination_is_as_likely_as_any_other_not_each_option()
    {
        // x is one combination of four: drawn a quarter of the time, where picking an option at each group would give it half.
        var tally = Enumerable.Range(0, 4000)
            .Select(seed => Assert.Single(DynamicPrompts.Draw("{x|y{1|2|3}}", "", 1, seed).Pairs).Prompt)
            .CountBy(prompt => prompt)
            .ToDictionary();

        Assert.Equal(["x", "y1", "y2", "y3"], tally.Keys.Order());
        Assert.All(tally.Values, n => Assert.InRange(n, 850, 1150));
    }

    private static Dictionary<string, int> Tally(string template, int draws = 4000) =>
        Enumerable.Range(0, draws).Select(seed => Assert.Single(DynamicPrompts.Draw(template, "", 1, seed).Pairs).Prompt).CountBy(p => p).ToDictionary();

    [Fact]
    public void Weights_steer_a_draw_and_every_combination_lists_each_option_once_without_its_weight()
    {
        Assert.Equal(["summer", "autumn", "winter"], Prompts("{0.5::summer|2::autumn|winter}"));

        // Three to one.
        var tally = Tally("{3::a|b}");
        Assert.InRange(tally["a"], 2800, 3200);

        // A weight steers its option wherever it stands: a set of two is drawn by the product of its weights (ab 5,
        // ac 5, bc 1), its order evenly.
        var pairs = Tally("{2$$5::a|b|c}");
        Assert.InRange(pairs.Where(p => p.Key.Contains('a')).Sum(p => p.Value), 3500, 3780);
        Assert.InRange(pairs["a, b"], pairs["b, a"] - 200, pairs["b, a"] + 200);
        Assert.Equal(["a, b", "a, c", "b, a", "b, c", "c, a", "c, b"], pairs.Keys.Order());
    }

    [Fact]
    public void Weights_that_favour_one_combination_still_draw_as_many_different_ones_as_asked()
    {
        var drawn = DynamicPrompts.Draw("a {1000000::red|blue|green|grey} star", "", 3, seed: 9).Pairs.Select(p => p.Prompt).ToList();

        Assert.Equal(3, drawn.Distinct().Count());
        Assert.Contains("a red star", drawn);
    }

    [Fact]
    public void A_weight_of_nothing_is_refused_and_a_lone_option_keeps_its_text()
    {
        Assert.Equal("the prompt: the weight 0 at character 2 must be more than 0: to leave an option out, take it out",
            DynamicPrompts.Of("{0::a|b}", "").Problem!.Message);
        Assert.Equal(["a {2::red} star"], Prompts("a {2::red} star"));
    }

    [Fact]
    public void A_draw_pairs_the_negative_prompts_choices_and_takes_every_combination_where_there_are_no_more_than_asked()
    {
        var pairs = DynamicPrompts.Draw("a {red|blue|green|grey} {circle|star|square}", "{blurry|dark}", 5, seed: 7).Pairs;
        var every = DynamicPrompts.Of("a {red|blue|green|grey} {circle|star|square}", "{blurry|dark}").Pairs;
        Assert.Equal(5, pairs.Distinct().Count());
        Assert.All(pairs, pair => Assert.Contains(pair, every));

        var few = DynamicPrompts.Draw("a {red|blue} circle", "", 8, seed: 7);
        Assert.Equal(DynamicPrompts.Of("a {red|blue} circle", "").Pairs, few.Pairs);
    }

    [Fact]
    public void A_draw_from_countless_combinations_makes_them_without_listing_the_rest()
    {
        var template = string.Concat(Enumerable.Repeat("{0|1|2|3|4|5|6|7|8|9}", 40));

        var drawn = DynamicPrompts.Draw(template, "", 5, seed: 1);

        Assert.Null(drawn.Problem);
        Assert.Equal("countless", drawn.CountText);
        Assert.Equal(5, drawn.Pairs.Select(p => p.Prompt).Distinct().Count());
        Assert.All(drawn.Pairs, pair => Assert.Matches("^[0-9]{40}$", pair.Prompt));
        // The digits are drawn throughout, not only in the last places.
        Assert.True(drawn.Pairs.Select(p => p.Prompt[..20]).Distinct().Count() > 1);
    }

    [Fact]
    public void A_draw_without_a_seed_yet_is_counted_and_an_impossible_number_is_refused()
    {
        var unseeded = DynamicPrompts.Draw(Thousand, "", 8, seed: null);
        Assert.Equal(1000, unseeded.Count);
        Assert.True(unseeded.Varies);
        Assert.Empty(unseeded.Pairs);

        foreach (var count in new[] { 0, -3, DynamicPrompts.MaxPrompts + 1 })
        {
            var refused = DynamicPrompts.Draw(Thousand, "", count, seed: 1);
            Assert.Equal("randomPrompts", refused.Problem!.Field);
            Assert.Equal($"the prompts drawn at random must number from 1 to 100; {count} was asked", refused.Problem.Message);
        }

        Assert.StartsWith("the prompt: the { at character 3", DynamicPrompts.Draw("a {red|blue", "", 4, seed: 1).Problem!.Message);
    }
}
