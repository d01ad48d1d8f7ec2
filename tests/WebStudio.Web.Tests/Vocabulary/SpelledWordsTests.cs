using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Studio.Options;
using WebStudio.Studio.Vocabulary;
using WebStudio.Testing;

namespace WebStudio.Web.Tests.Vocabulary;

/// <summary>A model whose card says it spells words (issue 22, section 3): the prompt box does not mark the words it
/// spells, nor its keyword, and still marks the rest.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class SpelledWordsTests
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string>(["the", "a", "red", "yellow", "in", "on", "white", "star", "above"]);
    private static readonly SpelledWords Spelling = new("word", 2, 4);

    [Theory]
    [InlineData("the word CAT in red on white", "")]
    [InlineData("OPEN in yellow", "")]
    [InlineData("a star above the word hi", "")]
    [InlineData("the word house in red", "house")]
    [InlineData("the word c4t", "c4t")]
    [InlineData("a cat on white", "cat")]
    public void Spelled_words_and_their_keyword_are_not_unknown(string prompt, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), PromptVocabulary.UnknownWords(prompt, Known, Spelling));
    }

    [Fact]
    public void Without_spelling_on_its_card_a_model_marks_them_as_before()
    {
        Assert.Equal(["word", "cat", "open"], PromptVocabulary.UnknownWords("the word cat, open in yellow", Known));
    }

    [Fact]
    public void A_card_declares_its_spelling()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "m", ModelCard.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"vocabulary":["the","in","red"],"spelling":{"keyword":"word","minLetters":2,"maxLetters":4}}""");
        var cards = new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = folder.Path }), NullLogger<ModelCards>.Instance);

        Assert.Equal(new SpelledWords("word", 2, 4), cards.For("m")!.Card.Spelling);
        Assert.Equal(["house"], cards.UnknownWords("m", "the word cat in red, the word house"));
    }
}
