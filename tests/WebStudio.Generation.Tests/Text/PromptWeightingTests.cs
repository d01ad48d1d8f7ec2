using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

public sealed class PromptWeightingTests
{
    private static ClipTokenizer Clip => SharedClipData.Tokenizer;

    [Fact]
    public void Each_token_carries_its_runs_weight_and_specials_weigh_one()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "a photo of a (cat:1.3) on [grass]");
        var cat = Clip.EncodeWithoutSpecials("cat").Single();
        var grass = Clip.EncodeWithoutSpecials("grass").Single();

        Assert.Equal(Clip.Encode("a photo of a cat on grass"), prompt.Ids);
        Assert.Equal(77, prompt.Weights.Length);
        Assert.False(prompt.Truncated);

        var catAt = Array.IndexOf(prompt.Ids, cat);
        var grassAt = Array.IndexOf(prompt.Ids, grass);
        for (var i = 0; i < 77; i++)
        {
            var expected = i == catAt ? 1.3f : i == grassAt ? (float)(1 / 1.1) : 1f;
            Assert.Equal(expected, prompt.Weights[i]);
        }
    }

    [Fact]
    public void Multi_token_run_weights_every_token()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "((qzxvkwjplmbr)) dog");
        var pieces = Clip.EncodeWithoutSpecials("qzxvkwjplmbr").Count;
        Assert.True(pieces > 1);
        Assert.All(prompt.Weights[1..(1 + pieces)], w => Assert.Equal((float)(1.1 * 1.1), w));
        Assert.Equal(1f, prompt.Weights[1 + pieces]);
    }

    [Fact]
    public void Escaped_brackets_reach_the_tokenizer_as_text()
    {
        var prompt = PromptWeighting.Tokenize(Clip, @"\(cat\)");
        Assert.Equal(Clip.Encode("(cat)"), prompt.Ids);
        Assert.All(prompt.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Long_prompt_is_truncated_to_one_window_and_flagged()
    {
        var prompt = PromptWeighting.Tokenize(Clip, string.Join(' ', Enumerable.Repeat("cat", 70)) + " (dog:1.5) (dog:1.5) " + string.Join(' ', Enumerable.Repeat("cow", 20)));
        Assert.True(prompt.Truncated);
        Assert.Equal(77, prompt.Ids.Length);
        Assert.Equal(Clip.EosId, prompt.Ids[76]);
        Assert.Equal(1.5f, prompt.Weights[71]);
        Assert.Equal(1.5f, prompt.Weights[72]);
        Assert.Equal(1f, prompt.Weights[73]);
        Assert.Equal(1f, prompt.Weights[76]);
    }

    [Fact]
    public void Break_is_not_fed_to_the_encoder()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "a cat BREAK a dog");
        Assert.Equal(Clip.Encode("a cat a dog"), prompt.Ids);
    }
}
