using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The text encoder's prompt tokens see the whole prompt, and no prompt token sees the padding after it.</summary>
public sealed class TextEncoderMaskTests
{
    private static readonly ShapesTokenizer Tokenizer = new(ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary));

    private static Tensor Ids(params int[][] rows) =>
        tensor(rows.SelectMany(r => r).Select(i => (long)i).ToArray(), [rows.Length, ShapesTokenizer.MaxLength]);

    private static TextEncoderNet Encoder(bool bidirectional)
    {
        manual_seed(3);
        var config = ArchitectureConfig.Tiny with { PromptBidirectional = bidirectional };
        var net = new TextEncoderNet(config.Text(Tokenizer.VocabularySize, Tokenizer.EndId));
        net.eval();
        return net;
    }

    [Fact]
    public void The_subject_of_a_relation_knows_the_relation_that_follows_it()
    {
        var right = Tokenizer.Encode("a star right of a ring");
        var left = Tokenizer.Encode("a star left of a ring");
        using var _ = no_grad();
        foreach (var bidirectional in new[] { true, false })
        {
            var states = Encoder(bidirectional).forward(Ids(right, left));
            // Position 2 is "star" (BOS, "a", "star"): the same token, followed by different words.
            var difference = (states[0, 2] - states[1, 2]).abs().max().item<float>();
            if (bidirectional)
            {
                Assert.True(difference > 1e-3, $"the subject's state ignores the relation (max |diff| {difference})");
            }
            else
            {
                Assert.Equal(0f, difference);
            }
        }
    }

    [Fact]
    public void A_prompts_states_do_not_depend_on_the_padding_after_it()
    {
        var prompt = Tokenizer.Encode("a red circle above a blue square");
        var end = Array.IndexOf(prompt, Tokenizer.EndId);
        var otherPadding = prompt.Select((id, i) => i > end ? (i * 7) % Tokenizer.EndId : id).ToArray();
        using var _ = no_grad();
        var states = Encoder(bidirectional: true).forward(Ids(prompt, otherPadding));
        var promptPart = states.narrow(1, 0, end + 1);
        Assert.Equal(0f, (promptPart[0] - promptPart[1]).abs().max().item<float>());
        const int last = ShapesTokenizer.MaxLength - 1;
        Assert.True((states[0, last] - states[1, last]).abs().max().item<float>() > 1e-3, "the padding's own states should follow it");
    }
}
