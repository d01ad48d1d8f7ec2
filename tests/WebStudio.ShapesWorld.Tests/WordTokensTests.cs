using WebStudio.Generation.Text;
using WebStudio.ShapesWorld;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>How the shipped tokenizer spells the Words category's words (issue 22, section 3): a model can spell a
/// held-out word only from pieces it saw in training words.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class WordTokensTests
{
    private static readonly ClipTokenizer Shipped = ClipTokenizer.FromFolder(Path.Combine(RepositoryFolders.Models, "webstudio-shapes", "tokenizer"));

    [Fact]
    public void Every_piece_of_a_held_out_word_occurs_in_training_words()
    {
        var trained = WordList.Training.SelectMany(Pieces).ToHashSet();
        Assert.All(WordList.HeldOut, word => Assert.All(Pieces(word), piece => Assert.True(trained.Contains(piece), $"{word}: piece {piece} is in no training word")));
    }

    [Fact]
    public void Words_are_spelled_in_pieces_and_no_word_is_one_caption_token()
    {
        // A word the vocabulary holds whole ("red", "star") would be one token that means a colour or a shape too.
        var pieces = WordList.Training.Concat(WordList.HeldOut).ToDictionary(w => w, w => Pieces(w).Count);
        Assert.All(pieces, p => Assert.True(p.Value >= 2 || p.Key.Length == 2, $"{p.Key} is {p.Value} token"));
        Assert.True(pieces.Values.Average() >= 2.2, $"{pieces.Values.Average():F2} pieces per word");
    }

    private static IReadOnlyList<int> Pieces(string word) => Shipped.EncodeWithoutSpecials(word.ToLowerInvariant());
}
