using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Captions;

/// <summary>
/// Reads a prompt written in the world's grammar (<see cref="CaptionGrammar"/>) back into a
/// <see cref="SceneSpec"/> without a layout, so any such prompt can be scored by the evaluator.
/// </summary>
public static class PromptParser
{
    private static readonly Dictionary<string, ShapeKind> ShapeWords = CaptionGrammar.ShapeNouns
        .SelectMany(kv => new[] { (kv.Value.One, kv.Key), (kv.Value.Many, kv.Key) })
        .ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>The words that name a shape ("star", "stars", …): each one starts a new object group when parsed.</summary>
    public static IReadOnlyCollection<string> ShapeNounWords => ShapeWords.Keys;

    public static SceneSpec Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var words = CaptionGrammar.Words(prompt.ToLowerInvariant()).ToList();
        var groups = new List<ObjectGroup>();
        NamedColour? background = null, colour = null;
        SizeClass? size = null;
        int? count = null;
        RelationKind? pendingRelation = null;
        SpatialRelation? relation = null;

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (IsColour(word, out var named))
            {
                if (IsBackground(words, i)) background = named;
                else colour = named;
            }
            else if (CaptionGrammar.SmallWords.Contains(word)) size = SizeClass.Small;
            else if (CaptionGrammar.LargeWords.Contains(word)) size = SizeClass.Large;
            else if (Array.IndexOf(CaptionGrammar.CountWords, word) is var n and >= 0) count = n + 1;
            else if (ShapeWords.TryGetValue(word, out var shape))
            {
                Emit(new ObjectGroup(shape, colour, size, count ?? 1));
            }
            else if (word == CaptionGrammar.WordKeyword && i + 1 < words.Count && Spelled(words[i + 1]) is { } keyed)
            {
                i++;
                Emit(ObjectGroup.ForWord(keyed, colour));
            }
            else if (Spelled(word) is { } bareWord && !Vocabulary.Contains(word) && FollowedByColour(words, i))
            {
                // "open in yellow": a word outside the vocabulary, then its colour.
                Emit(ObjectGroup.ForWord(bareWord, colour));
            }
            else if (word is "letter" or "digit" or "number" && i + 1 < words.Count && GlyphToken(words[i + 1]) is { } named1)
            {
                i++;
                Emit(ObjectGroup.ForGlyph(named1, colour));
            }
            else if (GlyphToken(word) is { } bare && word != "a")
            {
                Emit(ObjectGroup.ForGlyph(bare, colour));
            }
            else if (word == "in" && i + 1 < words.Count && IsColour(words[i + 1], out var inColour) && groups.Count > 0)
            {
                // "the letter k in yellow": the colour follows the glyph.
                groups[^1] = groups[^1] with { Colour = inColour };
                i++;
            }
            else if (MatchPlacement(words, i) is { } placed && groups.Count > 0)
            {
                groups[^1] = groups[^1] with { Placement = placed.Placement };
                i += placed.Length - 1;
            }
            else if (MatchRelation(words, i) is { } related && groups.Count > 0)
            {
                pendingRelation = related.Kind;
                i += related.Length - 1;
            }
        }
        if (groups.Count == 0) throw new ArgumentException($"prompt: no shape, letter, digit or word found in '{prompt}'.", nameof(prompt));
        return new SceneSpec(InferCategory(groups, relation), groups, background, relation).Validate();

        void Emit(ObjectGroup group)
        {
            groups.Add(group);
            if (pendingRelation is { } kind)
            {
                relation = new SpatialRelation(groups.Count - 2, kind, groups.Count - 1);
                pendingRelation = null;
            }
            colour = null; size = null; count = null;
        }
    }

    private static Category InferCategory(List<ObjectGroup> groups, SpatialRelation? relation)
    {
        if (groups.Any(g => g.Shape == ShapeKind.Word)) return Category.Words;
        if (groups.Any(g => g.Shape == ShapeKind.Glyph)) return Category.Letters;
        if (relation is not null || groups.Any(g => g.Placement is not null)) return Category.Position;
        if (groups.Count == 1 && groups[0].Count > 1) return Category.Counting;
        if (groups.Count > 1) return groups.All(g => g.Colour is not null) ? Category.ColourAttribution : Category.TwoObjects;
        return groups[0].Colour is not null ? Category.Colours : Category.SingleObject;
    }

    private static bool IsColour(string word, out NamedColour colour) => Palette.TryByName(word, out colour);

    /// <summary>A colour names the background when "background" follows it, or it ends an "on/against …" phrase.</summary>
    private static bool IsBackground(List<string> words, int i)
    {
        if (i + 1 < words.Count && words[i + 1] == "background") return true;
        var previous = i > 0 ? words[i - 1] : "";
        var beforeArticle = i > 1 ? words[i - 2] : "";
        var introduced = previous is "on" or "against" || (previous is "a" or "an" && beforeArticle is "on" or "against" or "with");
        var ends = i + 1 == words.Count || words[i + 1] == ",";
        return introduced && ends;
    }

    private static readonly HashSet<string> Vocabulary = [.. CaptionGrammar.Vocabulary];

    private static string? Spelled(string word) => WordList.IsWord(word.ToUpperInvariant()) ? word.ToUpperInvariant() : null;

    private static bool FollowedByColour(List<string> words, int i) =>
        i + 2 < words.Count && words[i + 1] == "in" && IsColour(words[i + 2], out _);

    private static char? GlyphToken(string word) =>
        word.Length == 1 && GlyphFont.Supports(word[0]) ? char.ToUpperInvariant(word[0]) : null;

    private static (Placement Placement, int Length)? MatchPlacement(List<string> words, int i)
    {
        foreach (var (placement, phrases) in CaptionGrammar.PlacementPhrases)
        foreach (var phrase in phrases)
            if (StartsAt(words, i, phrase, out var length)) return (placement, length);
        return null;
    }

    private static (RelationKind Kind, int Length)? MatchRelation(List<string> words, int i)
    {
        // Longest phrases first so "to the left of" wins over "left of".
        foreach (var (kind, phrase) in CaptionGrammar.RelationPhrases
                     .SelectMany(kv => kv.Value.Select(p => (kv.Key, p)))
                     .OrderByDescending(p => p.p.Length))
            if (StartsAt(words, i, phrase, out var length)) return (kind, length);
        return null;
    }

    private static bool StartsAt(List<string> words, int i, string phrase, out int length)
    {
        var parts = phrase.Split(' ');
        length = parts.Length;
        if (i + parts.Length > words.Count) return false;
        for (var k = 0; k < parts.Length; k++)
            if (words[i + k] != parts[k]) return false;
        return true;
    }
}
