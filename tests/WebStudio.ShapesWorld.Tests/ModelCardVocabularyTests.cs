using System.Text.Json;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>The built-in model's card (models/webstudio-shapes/card.json) declares exactly the words of the caption
/// grammar it was trained on, so that the studio marks every other word as unknown, and its examples use only them.</summary>
[Trait("Capability", "StudioUx")]
public sealed class ModelCardVocabularyTests
{
    [Fact]
    public void The_built_in_models_card_declares_the_caption_vocabulary()
    {
        using var card = JsonDocument.Parse(File.ReadAllText(CardPath()));

        var declared = card.RootElement.GetProperty("vocabulary").EnumerateArray().Select(w => w.GetString()!).ToList();
        var grammar = CaptionGrammar.Vocabulary.Where(w => w != ",").ToList();
        Assert.Equal(grammar, declared);

        var examples = card.RootElement.GetProperty("examples").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(examples);
        Assert.All(examples, example => Assert.All(CaptionGrammar.Words(example), word => Assert.Contains(word, CaptionGrammar.Vocabulary)));
    }

    private static string CardPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return Path.Combine(dir.FullName, "models", "webstudio-shapes", "card.json");
            }
        }

        throw new InvalidOperationException("The repository root (WebStudio.sln) was not found above " + AppContext.BaseDirectory);
    }
}
