using System.Diagnostics;
using CsCheck;
using WebStudio.Web.History;
using WebStudio.Studio.History;
using Xunit.Abstractions;

namespace WebStudio.Hardening.Tests.Parsers;

[Trait("Capability", "Hardening")]
public sealed class A1111ParameterParserHardeningTests(ITestOutputHelper output)
{
    private const string Settings = "\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 64x64";

    /// <summary>The worst shapes for a backtracking "Key: value" pattern, and for the prompt and negative blocks.</summary>
    public static TheoryData<string> Shapes() =>
    [
        "long line without a colon",
        "words of key characters without a colon",
        "whitespace runs between letters",
        "many key value pairs",
        "one long quoted value",
        "quotes that never close",
        "deep prompt brackets",
        "many negative prompt lines",
    ];

    private static string Input(string shape, int length) => shape switch
    {
        "long line without a colon" => LinearTime.Repeat("A", length),
        "words of key characters without a colon" => LinearTime.Repeat("a b-c/d_ ", length),
        "whitespace runs between letters" => LinearTime.Repeat("x \t \u00A0  ", length),
        "many key value pairs" => LinearTime.Repeat("Key: value, ", length),
        "one long quoted value" => "Steps: 1, Seed: 2, Lora hashes: \"" + LinearTime.Repeat("x\\\", ", length) + "\"",
        "quotes that never close" => LinearTime.Repeat("ke: \"\\\",", length),
        "deep prompt brackets" => LinearTime.Repeat("((([[[a:", length / 2) + LinearTime.Repeat(")]:1.2)", length / 2) + Settings,
        "many negative prompt lines" => LinearTime.Repeat("Negative prompt: a, b\n", length) + Settings,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Parsing_time_grows_linearly_from_1_kB_to_1_MB(string shape)
    {
        if (shape == "many key value pairs")
        {
            Assert.Contains("Key", A1111ParameterParser.Parse(Input(shape, LinearTime.Small)).Extra.Keys); // the pairs are read
        }

        var ratio = LinearTime.Ratio(text => A1111ParameterParser.Parse(text), length => Input(shape, length));

        output.WriteLine($"{shape}: t(1 MB) / t(1 kB) = {ratio:F0} (size ratio 1024)");
        Assert.True(ratio < LinearTime.MaxRatio, $"{shape}: t(1 MB) / t(1 kB) = {ratio:F0}, over {LinearTime.MaxRatio} (1024 is linear)");
    }

    [Fact]
    public void The_issues_200_000_characters_without_a_colon_parse_at_once()
    {
        var clock = Stopwatch.StartNew();
        var parsed = A1111ParameterParser.Parse(new string('A', 200_000));

        Assert.Equal(200_000, parsed.Prompt.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_quoted_value_holding_a_lone_surrogate_is_kept_without_its_quotes()
    {
        // Found by the property test below (seed 2PMNMLcczj_5): the JSON reader cannot transcode a lone surrogate.
        var parsed = A1111ParameterParser.Parse("a cat\nSteps: 3, Sampler: Euler, Lora hashes: \"x\uD800y\"");

        Assert.Equal(3, parsed.Steps);
        Assert.Equal("x\uD800y", parsed.Extra["Lora hashes"]);
    }

    [Fact]
    public void Any_text_parses_without_an_exception_in_linear_time()
    {
        string[] pieces =
        [
            "a", "Steps", "Seed", "Size", "Model", "CFG scale", "Negative prompt:", ":", ": ", ", ", ",", "\"", "\\", "\\\"",
            "\n", "\r\n", "\r", " ", "\t", "1", "-7", "1.5", "64x64", "0x0", "x", "NaN", "99999999999999999999", "é", "漢",
            "(", ")", "[", "]", "-", "/", "\u0000", "\uD800",
        ];
        var texts = Gen.OneOf(Gen.OneOf(pieces).Array[0, 60].Select(string.Concat), Gen.String[0, 200]);

        texts.Sample(text =>
        {
            var clock = Stopwatch.StartNew();
            var parsed = A1111ParameterParser.Parse(text);

            Assert.NotNull(parsed.Prompt);
            Assert.NotNull(parsed.NegativePrompt);
            Assert.True(clock.Elapsed < Budget(text.Length), $"{clock.Elapsed} for {text.Length} characters");
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void The_settings_line_is_read_whatever_the_prompt_above_it()
    {
        var prompts = Gen.String[0, 300].Select(p => p.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal));

        prompts.Sample(prompt =>
        {
            var parsed = A1111ParameterParser.Parse(prompt + Settings);

            Assert.Equal((20, "Euler a", 7f, 1L, 64, 64), (parsed.Steps, parsed.Sampler, parsed.CfgScale, parsed.Seed, parsed.Width, parsed.Height));
        }, iter: 1000, threads: 1);
    }

    /// <summary>A generous linear bound for one call on a loaded machine: a fixed half second and 10 µs a character.</summary>
    public static TimeSpan Budget(int length) => TimeSpan.FromMilliseconds(500 + 0.01 * length);
}
