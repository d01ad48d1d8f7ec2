using System.Diagnostics;
using CsCheck;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Text;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>A1111's prompt syntax: attention weights, BREAK, editing [from:to:when] and alternation [a|b].</summary>
[Trait("Capability", "Hardening")]
public sealed class PromptSyntaxHardeningTests
{
    // Prompts made of the syntax's own pieces, so that brackets, weights and keywords meet in every order.
    private static readonly string[] Pieces =
    [
        "(", ")", "[", "]", ":", "::", "|", "\\", "\\(", "\\]", "BREAK", " BREAK ", "break", " ", "\n", "a", "red cat", ",",
        "1.2", "0.5", ".5", "-1", "1e3", "10", "9999999999", "NaN", "é", "漢", ":1.3)", "[a:b:0.5]", "[a|b|c]", "(a:1e308)",
    ];

    private static readonly Gen<string> Prompts = Gen.OneOf(
        Gen.OneOf(Pieces).Array[0, 80].Select(string.Concat),
        Gen.String[0, 300],
        Gen.Select(Gen.OneOf("(", "[", "[a:", "[a|", "(a:", "\\"), Gen.Int[1, GenerationRequest.MaxPromptLength / 3])
            .Select((open, depth) => string.Concat(Enumerable.Repeat(open, depth))));

    private static readonly Gen<string> Words = Gen.Char["abcdefghij ,"].Array[1, 30].Select(c => new string(c))
        .Where(w => !string.IsNullOrWhiteSpace(w));

    [Fact]
    public void Any_prompt_gives_weighted_segments_in_linear_time()
    {
        Prompts.Sample(prompt =>
        {
            var clock = Stopwatch.StartNew();
            var segments = PromptAttentionParser.Parse(prompt);

            Assert.NotEmpty(segments);
            Assert.All(segments, s => Assert.NotNull(s.Text));
            Assert.True(clock.Elapsed < A1111ParameterParserHardeningTests.Budget(prompt.Length), $"{clock.Elapsed} for {prompt.Length} characters");
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Any_prompt_gives_a_schedule_that_covers_every_step_in_linear_time()
    {
        Gen.Select(Prompts, Gen.Int[GenerationRequest.MinSteps, GenerationRequest.MaxSteps]).Sample((prompt, steps) =>
        {
            var clock = Stopwatch.StartNew();
            var schedule = PromptSchedule.Build(prompt, steps);

            Assert.NotEmpty(schedule);
            Assert.Equal(steps, schedule[^1].EndAtStep);
            Assert.True(schedule.Zip(schedule.Skip(1)).All(p => p.First.EndAtStep < p.Second.EndAtStep), "ends ascend");
            Assert.True(clock.Elapsed < A1111ParameterParserHardeningTests.Budget(prompt.Length * steps), $"{clock.Elapsed} for {prompt.Length} characters");
        }, iter: 500, threads: 1);
    }

    /// <summary>Open brackets inside open brackets were read again by every bracket around them (quadratic time, and
    /// stack as deep as the nesting); closed ones and the attention syntax's escapes and BREAKs for comparison.</summary>
    [Theory]
    [InlineData("[a|")]
    [InlineData("[a:")]
    [InlineData("(")]
    [InlineData("([")]
    [InlineData("[a:b:0.5]")]
    [InlineData("[a|b] ")]
    [InlineData("\\(a BREAK ")]
    public void Scheduling_time_grows_linearly_from_1_kB_to_1_MB(string unit)
    {
        var ratio = LinearTime.Ratio(text => PromptSchedule.Build(text, 20), length => LinearTime.Repeat(unit, length));

        Assert.True(ratio < LinearTime.MaxRatio, $"\"{unit}\" repeated: t(1 MB) / t(1 kB) = {ratio:F0}, over {LinearTime.MaxRatio} (1024 is linear)");
    }

    [Fact]
    public void Only_null_and_a_step_count_below_one_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => PromptAttentionParser.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => PromptSchedule.Build(null!, 10));
        Gen.Int[int.MinValue, 0].Sample(steps => Assert.Throws<ArgumentOutOfRangeException>(() => PromptSchedule.Build("a", steps)), iter: 50);
    }

    [Fact]
    public void An_explicit_weight_applies_to_exactly_its_words()
    {
        Gen.Select(Words, Gen.Int[1, 300]).Sample((words, hundredths) =>
        {
            var weight = hundredths / 100.0;

            Assert.Equal([new PromptSegment(words, weight)], PromptAttentionParser.Parse($"({words}:{weight:0.00})"));
        }, iter: 300);
    }

    [Fact]
    public void Round_brackets_raise_square_brackets_lower_and_nesting_multiplies()
    {
        Gen.Select(Words, Gen.Int[1, 5], Gen.Bool).Sample((words, depth, round) =>
        {
            var (open, close) = round ? ("(", ")") : ("[", "]");
            var segment = Assert.Single(PromptAttentionParser.Parse(string.Concat(Enumerable.Repeat(open, depth)) + words + string.Concat(Enumerable.Repeat(close, depth))));

            Assert.Equal(words, segment.Text);
            Assert.Equal(Math.Pow(round ? 1.1 : 1 / 1.1, depth), segment.Weight, 1e-9);
        }, iter: 300);
    }

    [Fact]
    public void Break_splits_the_prompt_into_chunks()
    {
        Gen.Select(Words, Words).Sample((first, second) =>
        {
            var segments = PromptAttentionParser.Parse($"{first} BREAK {second}");

            Assert.Equal([new PromptSegment(first.TrimEnd(), 1), PromptSegment.Break, new PromptSegment(second.TrimStart(), 1)], segments);
        }, iter: 300);
    }

    [Fact]
    public void Editing_swaps_the_text_at_its_step_and_alternation_switches_every_step()
    {
        Gen.Select(Words, Words, Gen.Int[2, 50]).Where((from, to, _) => from != to).Sample((from, to, steps) =>
        {
            var when = steps / 2;

            var edited = PromptSchedule.Build($"[{from}:{to}:{when}]", steps);
            Assert.Equal([new ScheduledPrompt(when, from), new ScheduledPrompt(steps, to)], edited);

            // As in A1111, step index i (0-based) uses the text of step max(i, 1) (1-based).
            var alternating = PromptSchedule.Build($"[{from}|{to}]", steps);
            Assert.All(Enumerable.Range(0, steps), step => Assert.Equal((Math.Max(step, 1) - 1) % 2 == 0 ? from : to, PromptSchedule.TextAt(alternating, step)));
        }, iter: 300);
    }
}
