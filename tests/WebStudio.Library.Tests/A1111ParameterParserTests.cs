using WebStudio.Data;
using WebStudio.Web.History;
using WebStudio.Studio.History;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Jobs;

namespace WebStudio.Library.Tests;

public sealed class A1111ParameterParserTests
{
    [Fact]
    public void Reads_every_field_of_the_studios_own_layout()
    {
        var spec = new JobSpec.Txt2Img
        {
            Prompt = "a red cube, studio light",
            NegativePrompt = "blurry, lowres",
            Steps = 23,
            Scheduler = "DPM++ 2M",
            Guidance = 6.5f,
            Model = "webstudio-shapes",
        };
        var text = A1111Parameters.Format(new GenerationJob(), spec, 4242, 128, 96);

        var p = A1111ParameterParser.Parse(text);

        Assert.Equal("a red cube, studio light", p.Prompt);
        Assert.Equal("blurry, lowres", p.NegativePrompt);
        Assert.Equal(23, p.Steps);
        Assert.Equal("DPM++ 2M", p.Sampler);
        Assert.Equal(6.5f, p.CfgScale);
        Assert.Equal(4242, p.Seed);
        Assert.Equal(128, p.Width);
        Assert.Equal(96, p.Height);
        Assert.Equal("webstudio-shapes", p.Model);
        Assert.Empty(p.Extra);
    }

    [Fact]
    public void Tolerates_a1111s_extra_keys_quoted_values_and_multiline_prompts()
    {
        const string text = """
            masterpiece, a castle on a hill,
            (golden hour:1.2), <lora:detail:0.6>
            Negative prompt: ugly, deformed,
            extra fingers
            Steps: 30, Sampler: DPM++ 2M Karras, Schedule type: Karras, CFG scale: 7.5, Seed: 3141592653, Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.7, Lora hashes: "detail: 62c6a8e5f2, other: abc", Version: v1.10.1
            """;

        var p = A1111ParameterParser.Parse(text);

        Assert.Equal("masterpiece, a castle on a hill,\n(golden hour:1.2), <lora:detail:0.6>", p.Prompt);
        Assert.Equal("ugly, deformed,\nextra fingers", p.NegativePrompt);
        Assert.Equal(30, p.Steps);
        Assert.Equal("DPM++ 2M Karras", p.Sampler);
        Assert.Equal(7.5f, p.CfgScale);
        Assert.Equal(3141592653L, p.Seed);
        Assert.Equal((512, 768), (p.Width, p.Height));
        Assert.Equal("v1-5-pruned-emaonly", p.Model);
        Assert.Equal("Karras", p.Extra["Schedule type"]);
        Assert.Equal("6ce0161689", p.Extra["Model hash"]);
        Assert.Equal("0.7", p.Extra["Denoising strength"]);
        Assert.Equal("detail: 62c6a8e5f2, other: abc", p.Extra["Lora hashes"]);
        Assert.Equal("v1.10.1", p.Extra["Version"]);
    }

    [Fact]
    public void A_text_without_a_settings_line_is_all_prompt()
    {
        var p = A1111ParameterParser.Parse("just a prompt: with a colon, and commas");

        Assert.Equal("just a prompt: with a colon, and commas", p.Prompt);
        Assert.Equal("", p.NegativePrompt);
        Assert.Null(p.Steps);
        Assert.Null(p.Seed);
        Assert.Null(p.Width);
        Assert.Null(p.Model);
    }

    [Fact]
    public void An_empty_prompt_with_only_settings_is_read()
    {
        var p = A1111ParameterParser.Parse("Steps: 4, Sampler: Euler, CFG scale: 1, Seed: -1, Size: 64x64");

        Assert.Equal("", p.Prompt);
        Assert.Equal(4, p.Steps);
        Assert.Equal(-1, p.Seed);
        Assert.Equal("Euler", p.Sampler);
    }

    [Fact]
    public void Windows_line_endings_and_an_empty_negative_line_are_handled()
    {
        var p = A1111ParameterParser.Parse("a cat\r\nNegative prompt:\r\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 64x64, Model: tiny\r\n");

        Assert.Equal("a cat", p.Prompt);
        Assert.Equal("", p.NegativePrompt);
        Assert.Equal(20, p.Steps);
        Assert.Equal("tiny", p.Model);
    }

    [Theory]
    [InlineData("Steps: many, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 64x64", "Steps", "many")]
    [InlineData("Steps: 5, Sampler: Euler, CFG scale: high, Seed: 1, Size: 64x64", "CFG scale", "high")]
    [InlineData("Steps: 5, Sampler: Euler, CFG scale: 7, Seed: 1, Size: huge", "Size", "huge")]
    [InlineData("Steps: 5, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 0x64", "Size", "0x64")]
    public void A_value_that_does_not_parse_is_kept_as_an_extra_and_the_rest_still_reads(string line, string key, string value)
    {
        var p = A1111ParameterParser.Parse("prompt\n" + line);

        Assert.Equal("prompt", p.Prompt);
        Assert.Equal(value, p.Extra[key]);
        Assert.Equal("Euler", p.Sampler);
    }

    [Fact]
    public void Fewer_than_three_pairs_on_the_last_line_belong_to_the_prompt_as_in_a1111()
    {
        var p = A1111ParameterParser.Parse("portrait\nStyle: noir, Mood: dark");

        Assert.Equal("portrait\nStyle: noir, Mood: dark", p.Prompt);
        Assert.Null(p.Steps);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => A1111ParameterParser.Parse(null!));
    }
}
