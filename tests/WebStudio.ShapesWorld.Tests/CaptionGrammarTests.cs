using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.ShapesWorld.Tests;

public class CaptionGrammarTests
{
    private static IEnumerable<ScenePlan> Many(int count)
    {
        var generator = new SceneGenerator(2024);
        for (var i = 0; i < count; i++) yield return generator.Plan(i);
    }

    private static string ColourWord(NamedColour c, IReadOnlyList<string> words) =>
        c == Palette.Gray && words.Contains("grey") ? "grey" : c.Name;

    [Fact]
    public void Captions_mention_every_stated_attribute()
    {
        foreach (var sample in Many(1500))
        {
            var words = CaptionGrammar.Words(sample.Caption).ToList();
            var spec = sample.Spec;
            Assert.Equal(sample.Caption.ToLowerInvariant(), sample.Caption);
            foreach (var group in spec.Groups)
            {
                if (group.Shape == ShapeKind.Glyph)
                    Assert.Contains(char.ToLowerInvariant(group.Glyph!.Value).ToString(), words);
                else if (group.Shape == ShapeKind.Word)
                    Assert.Contains(group.Text!.ToLowerInvariant(), words);
                else
                    Assert.True(words.Any(w => w.StartsWith(group.Shape.ToString().ToLowerInvariant(), StringComparison.Ordinal)),
                        $"'{sample.Caption}' lacks {group.Shape}");
                if (group.Colour is { } c) Assert.Contains(ColourWord(c, words), words);
                if (group.Count > 1) Assert.Contains(new[] { "two", "three", "four" }[group.Count - 2], words);
                if (group.Size is SizeClass.Small) Assert.True(words.Intersect(["small", "little", "tiny"]).Any(), sample.Caption);
                if (group.Size is SizeClass.Large) Assert.True(words.Intersect(["large", "big"]).Any(), sample.Caption);
            }
            if (spec.Background is { } bg) Assert.Contains(ColourWord(bg, words), words);
            if (spec.Relation is not null)
                Assert.True(words.Intersect(["above", "over", "below", "under", "beneath", "left", "right"]).Any(), sample.Caption);
        }
    }

    [Fact]
    public void Unstated_colours_are_not_mentioned()
    {
        var colourNames = Palette.ObjectColours.Select(c => c.Name).Append("grey").ToHashSet();
        var checkedAny = false;
        foreach (var sample in Many(400))
        {
            if (sample.Spec.Background is not null || sample.Spec.Groups.Any(g => g.Colour is not null)) continue;
            checkedAny = true;
            Assert.DoesNotContain(CaptionGrammar.Words(sample.Caption), colourNames.Contains);
        }
        Assert.True(checkedAny);
    }

    [Fact]
    public void Vocabulary_covers_every_caption_word_but_the_words_drawn()
    {
        var vocabulary = CaptionGrammar.Vocabulary.ToHashSet();
        foreach (var sample in Many(3000))
        {
            // A word drawn is spelled, not known: the tokenizer splits it into pieces, so a model can spell words it never saw.
            var drawn = sample.Spec.Groups.Where(g => g.Shape == ShapeKind.Word).SelectMany(g => new[] { g.Text!.ToLowerInvariant(), CaptionGrammar.WordKeyword });
            foreach (var word in CaptionGrammar.Words(sample.Caption))
                Assert.True(vocabulary.Contains(word) || drawn.Contains(word), $"'{word}' of '{sample.Caption}' is not in the vocabulary");
        }
        Assert.Contains("circle", vocabulary);
        Assert.Contains("k", vocabulary);
        Assert.Contains("7", vocabulary);
        Assert.Equal(vocabulary.Count, CaptionGrammar.Vocabulary.Count);
    }

    [Fact]
    public void Grammar_produces_varied_word_order()
    {
        var captions = Many(600).Select(s => s.Caption).ToList();
        Assert.Contains(captions, c => c.StartsWith("on ", StringComparison.Ordinal));
        Assert.Contains(captions, c => c.StartsWith("there ", StringComparison.Ordinal));
        Assert.Contains(captions, c => c.EndsWith(" background", StringComparison.Ordinal) && c.Contains(','));
        Assert.Contains(captions, c => c.StartsWith("a picture of", StringComparison.Ordinal));
        Assert.True(captions.Distinct().Count() > 500);
    }

    [Fact]
    public void Articles_agree_with_the_next_word()
    {
        foreach (var sample in Many(1000))
        {
            var words = CaptionGrammar.Words(sample.Caption).ToList();
            for (var i = 0; i + 1 < words.Count; i++)
            {
                if (words[i] == "an") Assert.Contains(words[i + 1][0], "aeiou");
                if (words[i] == "a" && (i == 0 || words[i - 1] != "letter")) Assert.DoesNotContain(words[i + 1][0], "aeiou");
            }
        }
    }
}
