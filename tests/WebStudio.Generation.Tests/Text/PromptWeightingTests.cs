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

        var window = Assert.Single(prompt.Chunks);
        Assert.Equal(Clip.Encode("a photo of a cat on grass"), window.Ids);
        Assert.Equal(77, window.Weights.Length);
        Assert.False(prompt.Truncated);
        Assert.Equal(7, prompt.TextTokens);

        var catAt = Array.IndexOf(window.Ids, cat);
        var grassAt = Array.IndexOf(window.Ids, grass);
        for (var i = 0; i < 77; i++)
        {
            var expected = i == catAt ? 1.3f : i == grassAt ? (float)(1 / 1.1) : 1f;
            Assert.Equal(expected, window.Weights[i]);
        }
    }

    [Fact]
    public void Multi_token_run_weights_every_token()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "((qzxvkwjplmbr)) dog");
        var pieces = Clip.EncodeWithoutSpecials("qzxvkwjplmbr").Count;
        Assert.True(pieces > 1);
        Assert.All(prompt.First.Weights[1..(1 + pieces)], w => Assert.Equal((float)(1.1 * 1.1), w));
        Assert.Equal(1f, prompt.First.Weights[1 + pieces]);
    }

    [Fact]
    public void Escaped_brackets_reach_the_tokenizer_as_text()
    {
        var prompt = PromptWeighting.Tokenize(Clip, @"\(cat\)");
        Assert.Equal(Clip.Encode("(cat)"), prompt.First.Ids);
        Assert.All(prompt.First.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void A_long_prompt_fills_windows_of_75_tokens_and_weights_follow_their_tokens()
    {
        var prompt = PromptWeighting.Tokenize(Clip, Words("cat", 70) + " (dog:1.5) (dog:1.5) " + Words("cow", 20));

        Assert.False(prompt.Truncated);
        Assert.Equal(92, prompt.TextTokens);
        Assert.Equal(2, prompt.Chunks.Count);
        var (first, second) = (prompt.Chunks[0], prompt.Chunks[1]);
        Assert.Equal(Clip.Encode(Words("cat", 70) + " dog dog " + Words("cow", 3)), first.Ids);
        Assert.Equal(Clip.Encode(Words("cow", 17)), second.Ids);
        Assert.Equal([1.5f, 1.5f, 1f], first.Weights[71..74]);
        Assert.All(second.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void A_comma_among_the_last_20_tokens_of_a_full_window_moves_the_words_after_it_to_the_next()
    {
        var prompt = PromptWeighting.Tokenize(Clip, Words("cat", 70) + ", " + Words("dog", 10));

        Assert.Equal(2, prompt.Chunks.Count);
        Assert.Equal(Clip.Encode(Words("cat", 70) + ","), prompt.Chunks[0].Ids);
        Assert.Equal(Clip.Encode(Words("dog", 10)), prompt.Chunks[1].Ids);
    }

    [Fact]
    public void A_comma_further_back_than_20_tokens_does_not_move_words()
    {
        var prompt = PromptWeighting.Tokenize(Clip, Words("cat", 50) + ", " + Words("dog", 30));

        Assert.Equal(Clip.Encode(Words("cat", 50) + ", " + Words("dog", 24)), prompt.Chunks[0].Ids);
        Assert.Equal(Clip.Encode(Words("dog", 6)), prompt.Chunks[1].Ids);
    }

    [Fact]
    public void Text_beyond_the_allowed_windows_is_cut_and_flagged()
    {
        var prompt = PromptWeighting.Tokenize(Clip, Words("cat", 70) + " (dog:1.5) (dog:1.5) " + Words("cow", 20), maxChunks: 1);

        Assert.True(prompt.Truncated);
        var window = Assert.Single(prompt.Chunks);
        Assert.Equal(Clip.EosId, window.Ids[76]);
        Assert.Equal(1.5f, window.Weights[71]);
        Assert.Equal(1.5f, window.Weights[72]);
        Assert.Equal(1f, window.Weights[76]);
    }

    [Fact]
    public void Break_closes_the_window_and_is_not_fed_to_the_encoder()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "a cat BREAK a dog");

        Assert.Equal([Clip.Encode("a cat"), Clip.Encode("a dog")], prompt.Chunks.Select(c => c.Ids));
        Assert.Equal(4, prompt.TextTokens);
    }

    [Fact]
    public void An_empty_prompt_is_one_empty_window()
    {
        var prompt = PromptWeighting.Tokenize(Clip, "");

        Assert.Equal(Clip.Encode(""), Assert.Single(prompt.Chunks).Ids);
        Assert.Equal(0, prompt.TextTokens);
    }

    private static string Words(string word, int count) => string.Join(' ', Enumerable.Repeat(word, count));
}
