using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Studio.Options;
using WebStudio.Studio.Vocabulary;
using WebStudio.Testing;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Vocabulary;

/// <summary>The studio core finds the prompt words a model's card says it does not know, and reads the built-in model's card.</summary>
[Trait("Capability", "StudioUx")]
public sealed class PromptVocabularyTests
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string>(["a", "red", "blue", "circle", "square", "star", "above", "and", "1", "2", "5"]);

    [Theory]
    [InlineData("a red heart", "heart")]
    [InlineData("a cat", "cat")]
    [InlineData("a crimson star", "crimson")]
    [InlineData("a red circle above a blue square", "")]
    [InlineData("A Heart and a HEART, a heart", "heart")]
    [InlineData("a purple cat above a dog", "purple cat dog")]
    public void Unknown_words_are_listed_once_in_the_order_typed(string prompt, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), PromptVocabulary.UnknownWords(prompt, Known));
    }

    [Fact]
    public void A1111_syntax_is_not_taken_for_words()
    {
        Assert.Empty(PromptVocabulary.UnknownWords("(red:1.3) [circle:square:0.25] <lora:detail:0.8> BREAK a ((blue)) star", Known));
        Assert.Equal(["break"], PromptVocabulary.UnknownWords("a star break", Known)); // only the upper-case keyword is syntax
        Assert.Empty(PromptVocabulary.UnknownWords("a __colors__ star __animals/big_cats__ __colors*__", Known)); // dynamic prompts' wildcards
        Assert.Empty(PromptVocabulary.UnknownWords("a {3$$red|blue} star {4-6$$ and $$circle|star} {3::red|0.5::blue}", Known)); // and their counts and weights
        Assert.Empty(PromptVocabulary.UnknownWords("${hue=!{red|blue}} a ${hue} star ${size:red}", Known)); // and their variables' names
        Assert.Equal(["teal"], PromptVocabulary.UnknownWords("${hue={red|teal}} a ${hue} star", Known)); // not their values
    }

    [Fact]
    public void The_built_in_models_card_knows_its_examples_and_not_a_heart()
    {
        var cards = new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = RepositoryFolders.Models }), NullLogger<ModelCards>.Instance);

        var card = cards.For("webstudio-shapes");

        Assert.NotNull(card);
        Assert.True(card.Examples.Count >= 3, "the built-in model's card offers example prompts");
        Assert.All(card.Examples, example => Assert.Empty(cards.UnknownWords("webstudio-shapes", example)));
        Assert.Equal(["heart"], cards.UnknownWords("webstudio-shapes", "a red heart"));
        Assert.Equal(["cat"], cards.UnknownWords("webstudio-shapes", "a cat"));
    }

    [Fact]
    public void A_model_without_a_card_or_with_a_broken_one_checks_nothing()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "plain"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "broken"));
        File.WriteAllText(Path.Combine(folder.Path, "broken", ModelCard.FileName), "{ not json");
        var cards = new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = folder.Path }), NullLogger<ModelCards>.Instance);

        Assert.Empty(cards.UnknownWords("plain", "a red heart"));
        Assert.Null(cards.For("broken"));
        Assert.Empty(cards.UnknownWords("broken", "a red heart"));
        Assert.Null(cards.For("../plain"));
    }

    [Fact]
    public void A_changed_card_is_read_again()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "m", ModelCard.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"vocabulary":["a","star"]}""");
        var cards = new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = folder.Path }), NullLogger<ModelCards>.Instance);
        Assert.Equal(["heart"], cards.UnknownWords("m", "a heart"));

        File.WriteAllText(path, """{"vocabulary":["a","heart"]}""");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(["star"], cards.UnknownWords("m", "a star"));
    }
}
