using System.Diagnostics;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

/// <summary>A1111's prompt editing, cases taken from its prompt_parser doctests and wiki.</summary>
public sealed class PromptScheduleTests
{
    [Fact]
    public void A_prompt_without_editing_is_one_entry_for_every_step()
    {
        Assert.Equal([new ScheduledPrompt(20, "a (cat:1.2) on [grass], \\[x\\]")], PromptSchedule.Build("a (cat:1.2) on [grass], \\[x\\]", 20));
    }

    [Fact]
    public void From_to_when_switches_at_a_fraction_or_a_step_number()
    {
        Assert.Equal(
            [new ScheduledPrompt(10, "a cat on grass"), new ScheduledPrompt(20, "a dog on grass")],
            PromptSchedule.Build("a [cat:dog:0.5] on grass", 20));
        Assert.Equal(
            [new ScheduledPrompt(5, "a cat"), new ScheduledPrompt(20, "a dog")],
            PromptSchedule.Build("a [cat:dog: 5 ]", 20));
    }

    [Fact]
    public void Text_can_be_added_or_removed_after_a_step()
    {
        Assert.Equal([new ScheduledPrompt(5, "a "), new ScheduledPrompt(20, "a dog")], PromptSchedule.Build("a [dog:5]", 20));
        Assert.Equal([new ScheduledPrompt(3, "a cat b"), new ScheduledPrompt(20, "a  b")], PromptSchedule.Build("a [cat::3] b", 20));
    }

    [Fact]
    public void A1111s_own_example_gives_its_schedule()
    {
        var schedule = PromptSchedule.Build(
            "fantasy landscape with a [mountain:lake:0.25] and [an oak:a christmas tree:0.75][ in foreground::0.6][ in background:0.25] [shoddy:masterful:0.5]", 100);

        Assert.Equal(
            [
                new ScheduledPrompt(25, "fantasy landscape with a mountain and an oak in foreground shoddy"),
                new ScheduledPrompt(50, "fantasy landscape with a lake and an oak in foreground in background shoddy"),
                new ScheduledPrompt(60, "fantasy landscape with a lake and an oak in foreground in background masterful"),
                new ScheduledPrompt(75, "fantasy landscape with a lake and an oak in background masterful"),
                new ScheduledPrompt(100, "fantasy landscape with a lake and a christmas tree in background masterful"),
            ],
            schedule);
    }

    [Fact]
    public void Alternation_changes_every_step()
    {
        Assert.Equal(
            [new ScheduledPrompt(1, "cat photo"), new ScheduledPrompt(2, "dog photo"), new ScheduledPrompt(3, "cat photo"), new ScheduledPrompt(4, "dog photo")],
            PromptSchedule.Build("[cat|dog] photo", 4));
    }

    [Fact]
    public void Edits_nest()
    {
        Assert.Equal(
            [new ScheduledPrompt(5, "a b"), new ScheduledPrompt(8, "a c"), new ScheduledPrompt(10, "d")],
            PromptSchedule.Build("[a [b:c:0.5]:d:0.8]", 10));
    }

    [Theory]
    [InlineData("a [cat:dog:0.5")]
    [InlineData("a (b [c:d:2]")]
    [InlineData("[a:b]")]
    [InlineData("[a:b:x]")]
    [InlineData("[a|b:0.5]")]
    [InlineData("a ] b ) c [")]
    [InlineData("[a:b:NaN]")]
    public void Text_that_is_not_an_edit_stays_as_written(string prompt)
    {
        var schedule = PromptSchedule.Build(prompt, 20);
        if (prompt == "a (b [c:d:2]")
        {
            // The open parenthesis is text; the edit after it still applies.
            Assert.Equal([new ScheduledPrompt(2, "a (b c"), new ScheduledPrompt(20, "a (b d")], schedule);
            return;
        }

        Assert.Equal([new ScheduledPrompt(20, prompt)], schedule);
    }

    [Fact]
    public void A_step_beyond_the_run_keeps_the_first_text_throughout()
    {
        Assert.Equal([new ScheduledPrompt(20, "a")], PromptSchedule.Build("[a:b:50]", 20));
        Assert.Equal([new ScheduledPrompt(20, "a")], PromptSchedule.Build("[a:b:1.0]", 20));
    }

    [Fact]
    public void Each_step_uses_the_first_entry_that_ends_at_or_after_it()
    {
        var schedule = PromptSchedule.Build("[cat:dog:0.5]", 20);
        // A1111 counts sampler steps from 0 against ends counted from 1, so the first text runs one step longer.
        Assert.All(Enumerable.Range(0, 11), i => Assert.Equal("cat", PromptSchedule.TextAt(schedule, i)));
        Assert.All(Enumerable.Range(11, 9), i => Assert.Equal("dog", PromptSchedule.TextAt(schedule, i)));
    }

    [Fact]
    public void Thousands_of_unclosed_brackets_parse_quickly()
    {
        var prompt = string.Concat(Enumerable.Repeat("[(", 1000));
        var clock = Stopwatch.StartNew();
        Assert.Equal([new ScheduledPrompt(20, prompt)], PromptSchedule.Build(prompt, 20));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed}");
    }
}
