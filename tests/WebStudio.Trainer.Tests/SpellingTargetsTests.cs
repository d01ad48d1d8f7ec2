using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The spelling probe's targets: every token of a written word gets that word's letters slot by slot, other
/// captions get none, and the loss is the slots' cross-entropy on those tokens alone.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class SpellingTargetsTests
{
    [Theory]
    [InlineData("the word cat in red on white", "CAT")]
    [InlineData("open in yellow", "OPEN")]
    [InlineData("a blue star above the word hi", "HI")]
    [InlineData("the red word zoom", "ZOOM")]
    public void A_words_caption_names_its_word(string caption, string word) =>
        Assert.Equal(word, SpellingTargets.WordOf(caption));

    [Theory]
    [InlineData("two red circles")]
    [InlineData("the letter k in yellow on black")]
    [InlineData("a cat left of a dog")]
    public void Other_captions_name_no_word(string caption) => Assert.Null(SpellingTargets.WordOf(caption));

    [Fact]
    public void Every_token_of_the_word_holds_the_whole_spelling()
    {
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        string[] captions = ["two red circles", "the word cat in red on white"];
        var targets = SpellingTargets.Build(captions, tokenizer);

        var ids = tokenizer.Encode(captions[1]);
        var pieces = tokenizer.Encode("cat").Skip(1).TakeWhile(id => id != tokenizer.EndId).ToArray();
        Assert.True(pieces.Length >= 2, "cat is one token: the test no longer checks a word split into pieces");
        var first = Enumerable.Range(0, ids.Length).First(i => ids.AsSpan(i, pieces.Length).SequenceEqual(pieces));
        Assert.Equal(1, targets.Labelled);
        Assert.Equal([2L, 77, SpellingTargets.Slots], targets.Targets.shape);
        var mask = targets.Mask.data<float>().ToArray();
        Assert.Equal(Enumerable.Range(77 + first, pieces.Length), Enumerable.Range(0, mask.Length).Where(i => mask[i] == 1));
        foreach (var token in Enumerable.Range(first, pieces.Length))
        {
            Assert.Equal([2L, 0, 19, SpellingTargets.NoLetter], targets.Targets[1, token].data<long>().ToArray());
        }
    }

    [Fact]
    public void The_loss_counts_the_word_tokens_alone()
    {
        var targets = full(1, 2, SpellingTargets.Slots, (long)SpellingTargets.NoLetter);
        targets[0, 0] = tensor(new long[] { 2, 0, 19, SpellingTargets.NoLetter });
        var right = full(1, 2, SpellingTargets.Slots, SpellingTargets.Classes, -20f);
        foreach (var (slot, letter) in new[] { (0, 2), (1, 0), (2, 19), (3, SpellingTargets.NoLetter) })
        {
            right[0, 0, slot, letter] = tensor(20f);
        }

        var logits = right.reshape(1, 2, -1);
        var onlyWord = tensor(new float[] { 1, 0 }).reshape(1, 2);
        var uniform = zeros(1, 2, SpellingTargets.Slots * SpellingTargets.Classes);

        Assert.True(SpellingTargets.Loss(logits, targets, onlyWord).item<float>() < 1e-6f);
        Assert.Equal(MathF.Log(SpellingTargets.Classes), SpellingTargets.Loss(uniform, targets, onlyWord).item<float>(), 4);
        // The second token's logits are all wrong for its targets, and its mask keeps it out.
        Assert.True(SpellingTargets.Loss(logits, targets, tensor(new float[] { 1, 1 }).reshape(1, 2)).item<float>() > 1);
    }
}
