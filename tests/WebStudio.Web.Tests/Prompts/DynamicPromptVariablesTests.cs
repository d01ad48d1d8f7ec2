using WebStudio.Studio.Prompts;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>sd-dynamic-prompts' variables: ${name=value} sets one, ${name} writes it; =! chooses it once per prompt.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicPromptVariablesTests : IDisposable
{
    private readonly WildcardFolder _folder = new();

    private IReadOnlyList<string> Prompts(string prompt) => _folder.Prompts(prompt);

    private string Problem(string prompt) => _folder.Problem(prompt);

    [Fact]
    public void A_variable_set_with_equals_is_chosen_afresh_at_each_use_as_if_typed_there()
    {
        Assert.Equal(["a red circle and a red star", "a red circle and a blue star", "a blue circle and a red star", "a blue circle and a blue star"],
            Prompts("${c={red|blue}} a ${c} circle and a ${c} star"));
        Assert.Equal(["a big red circle"], Prompts("${look=big red} a ${look} circle"));
    }

    [Fact]
    public void A_variable_set_with_equals_bang_is_chosen_once_per_prompt_and_written_the_same_at_each_use()
    {
        Assert.Equal(["a red circle and a red star", "a blue circle and a blue star"], Prompts("${c=!{red|blue}} a ${c} circle and a ${c} star"));

        // Two such variables cross, and the rest of the template varies beside them.
        Assert.Equal(["red on white, red", "red on black, red", "blue on white, blue", "blue on black, blue"],
            Prompts("${c=!{red|blue}}${c} {on white|on black}, ${c}"));
        Assert.Equal(6, DynamicPrompts.Of("${c=!{red|blue|green}} ${s=!{circle|star}} a ${c} ${s}, ${s}", "").Count);
    }

    [Fact]
    public void A_variable_bound_once_and_never_written_makes_no_copies_of_the_prompts()
    {
        Assert.Equal(["a circle"], Prompts("${c=!{red|blue}} a circle"));
        Assert.Equal(["a red circle", "a blue circle"], Prompts("${c=!{red|blue}} ${unused=!{big|small|tiny}} a ${c} circle"));
    }

    [Fact]
    public void A_variable_bound_once_and_set_again_writes_its_new_value_from_there_on()
    {
        Assert.Equal(["a red circle, a big star", "a red circle, a small star", "a blue circle, a big star", "a blue circle, a small star"],
            Prompts("${c=!{red|blue}} a ${c} circle, ${c=!{big|small}}a ${c} star"));
    }

    [Fact]
    public void A_bound_variable_may_take_a_wildcard_and_a_wildcards_line_may_write_it()
    {
        File.WriteAllLines(_folder.Combine("colors.txt"), ["red", "blue"]);
        File.WriteAllLines(_folder.Combine("scenes.txt"), ["a ${c} circle", "two ${c} stars"]);

        Assert.Equal(["a red circle, all red", "two red stars, all red", "a blue circle, all blue", "two blue stars, all blue"],
            Prompts("${c=!__colors__} __scenes__, all ${c}"));
    }

    [Fact]
    public void A_default_stands_in_for_a_variable_not_set_and_a_later_setting_replaces_an_earlier()
    {
        Assert.Equal(["a green circle"], Prompts("a ${c:green} circle"));
        Assert.Equal(["a red circle"], Prompts("${c=red} a ${c:green} circle"));
        Assert.Equal(["a red circle, a blue star"], Prompts("${c=red} a ${c} circle, ${c=blue}a ${c} star"));
    }

    [Fact]
    public void Dollar_signs_that_are_not_variables_stay_text()
    {
        foreach (var text in new[] { "a $5 note", "cost ${ 5 }", "a ${} sign", "{2$$red|blue}" })
        {
            Assert.Null(DynamicPrompts.Of(text, "").Problem);
        }

        Assert.Equal(["a $5 note"], Prompts("a $5 note"));
        Assert.Equal(["red, blue", "blue, red"], Prompts("{2$$red|blue}"));
    }

    [Fact]
    public void A_variable_used_before_it_is_set_left_open_or_taking_itself_in_is_refused_by_name()
    {
        Assert.Equal("the prompt: the variable ${c} at character 3 is used before it is set: set it first, as ${c={red|blue}} does, or give a default, as ${c:red} does",
            Problem("a ${c} circle"));
        Assert.Equal("the prompt: the ${ at character 1 has no closing }", Problem("${c={red|blue} a ${c} circle"));
        Assert.Equal("the prompt: the variable ${c}'s value \"a ${c}\": the variable ${c} takes itself in", Problem("${c=a ${c}} ${c}"));
        Assert.Equal("the prompt: the variable ${c}'s value \"__nope__\": there is no wildcard __nope__ (at character 1), nor any other: an administrator adds them as text files, an option a line",
            Problem("${c=__nope__} a ${c} circle"));
        Assert.Equal("the prompt: the variable ${c} set at character 3: there is no wildcard __nope__ (at character 1), nor any other: an administrator adds them as text files, an option a line",
            Problem("a ${c=!__nope__} ${c} circle"));
    }

    [Fact]
    public void Values_bound_once_that_make_too_many_readings_are_refused_with_the_way_out()
    {
        var options = string.Join('|', Enumerable.Range(0, 11).Select(i => $"c{i}"));
        Assert.Equal("the prompt: the ${…=!…} variables' values make 121 ways to bind them, and at most 100 can be read: take out some choices, or set them with = alone, to choose anew at each use",
            Problem($"${{a=!{{{options}}}}} ${{b=!{{{options}}}}} ${{a}} ${{b}}"));
    }

    [Fact]
    public void A_random_draw_takes_bound_variables_whole()
    {
        var drawn = DynamicPrompts.Draw("${c=!{red|blue|green|pink|navy}} a ${c} circle and a ${c} star {on white|on black}", "", 4, seed: 9);

        Assert.Null(drawn.Problem);
        Assert.Equal(10, drawn.Count);
        Assert.Equal(4, drawn.Pairs.Count);
        Assert.All(drawn.Pairs, pair =>
        {
            var words = pair.Prompt.Split(' ');
            Assert.Equal(words[1], words[5]);
        });
    }

    public void Dispose() => _folder.Dispose();
}
