using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

/// <summary>The doctest examples of A1111's parse_prompt_attention, with its exact float results.</summary>
public sealed class PromptAttentionParserTests
{
    private static (string, double)[] Parse(string prompt) =>
        PromptAttentionParser.Parse(prompt).Select(s => (s.Text, s.Weight)).ToArray();

    [Fact]
    public void Plain_text_has_weight_one() =>
        Assert.Equal([("normal text", 1.0)], Parse("normal text"));

    [Fact]
    public void Round_brackets_multiply_by_1_1() =>
        Assert.Equal([("an ", 1.0), ("important", 1.1), (" word", 1.0)], Parse("an (important) word"));

    [Fact]
    public void Unclosed_bracket_applies_to_the_rest() =>
        Assert.Equal([("unbalanced", 1.1)], Parse("(unbalanced"));

    [Fact]
    public void Escaped_brackets_are_literal() =>
        Assert.Equal([("(literal]", 1.0)], Parse(@"\(literal\]"));

    [Fact]
    public void Escaped_backslash_is_literal() =>
        Assert.Equal([(@"a\b", 1.0)], Parse(@"a\\b"));

    [Fact]
    public void Neighbouring_runs_of_equal_weight_merge() =>
        Assert.Equal([("unnecessaryparens", 1.1)], Parse("(unnecessary)(parens)"));

    [Fact]
    public void Nested_and_explicit_weights_match_a1111_exactly()
    {
        Assert.Equal(
            [
                ("a ", 1.0),
                ("house", 1.5730000000000004),
                (" ", 1.1),
                ("on", 1.0),
                (" a ", 1.1),
                ("hill", 0.55),
                (", sun, ", 1.1),
                ("sky", 1.4641000000000006),
                (".", 1.1),
            ],
            Parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).")
        );
    }

    [Fact]
    public void Double_round_brackets_give_1_21_and_square_divides()
    {
        Assert.Equal([("a ", 1.0), ("word", 1.1 * 1.1)], Parse("a ((word))"));
        Assert.Equal([("a ", 1.0), ("word", 1 / 1.1)], Parse("a [word]"));
    }

    [Fact]
    public void Explicit_weight_tolerates_spaces_and_signs()
    {
        Assert.Equal([("cat", 1.3)], Parse("(cat: 1.3 )"));
        Assert.Equal([("cat", -0.5)], Parse("(cat:-0.5)"));
    }

    [Fact]
    public void Unparseable_weight_is_text_and_the_bracket_stays_open() =>
        Assert.Equal([("a:1.2.3)", 1.1)], Parse("(a:1.2.3)"));

    [Fact]
    public void Colon_without_a_number_is_text() =>
        Assert.Equal([("style: ", 1.0), ("cat", 1.1)], Parse("style: (cat)"));

    [Fact]
    public void Stray_closers_are_text() =>
        Assert.Equal([("a) b]", 1.0)], Parse("a) b]"));

    [Fact]
    public void Break_splits_and_is_marked()
    {
        // As in A1111, the text run "a cat BREAK " splits into "a cat" and an empty tail that stays a run of its own.
        var segments = PromptAttentionParser.Parse("a cat BREAK (a dog)");
        Assert.Equal([("a cat", 1.0), ("BREAK", -1.0), ("", 1.0), ("a dog", 1.1)], segments.Select(s => (s.Text, s.Weight)));
        Assert.Equal([false, true, false, false], segments.Select(s => s.IsBreak));
    }

    [Fact]
    public void Break_inside_brackets_stays_a_break()
    {
        var segments = PromptAttentionParser.Parse("(a BREAK b)");
        Assert.Equal([("a", 1.1), ("BREAK", -1.0), ("b", 1.1)], segments.Select(s => (s.Text, s.Weight)));
        Assert.True(segments[1].IsBreak);
    }

    [Fact]
    public void Weight_minus_one_is_not_a_break()
    {
        var segments = PromptAttentionParser.Parse("(cat:-1)");
        Assert.Equal([("cat", -1.0)], segments.Select(s => (s.Text, s.Weight)));
        Assert.False(segments[0].IsBreak);
    }

    [Fact]
    public void Break_needs_word_boundaries() =>
        Assert.Equal([("BREAKFAST", 1.0)], Parse("BREAKFAST"));

    [Fact]
    public void Empty_prompt_is_one_empty_segment() =>
        Assert.Equal([("", 1.0)], Parse(""));
}
