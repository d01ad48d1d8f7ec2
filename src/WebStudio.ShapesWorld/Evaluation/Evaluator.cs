using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>Whether an image satisfies its prompt, and why not; for a word, how many of its letters were read in place.</summary>
public sealed record EvalOutcome(bool Correct, string Reason)
{
    /// <summary>The asked words' letters read in their places (a word's nearest read): partial credit for tracking a
    /// model that does not spell yet. Null when the prompt asks for no word.</summary>
    public LetterCount? Letters { get; init; }

    public static EvalOutcome Pass(string reason) => new(true, reason);
    public static EvalOutcome Fail(string reason) => new(false, reason);
}

/// <summary>
/// Scores an image against a <see cref="SceneSpec"/> with GenEval's rules: each asked-for object must be
/// present (at least its count; exactly its count for <see cref="Category.Counting"/>) with every
/// attribute the prompt names (colour, size, placement); a relation must hold between some pair of the
/// named objects; a named background must match; a glyph must read as the asked character, a word as its letters
/// (<see cref="WordReader"/>).
/// </summary>
public static class Evaluator
{
    /// <summary>A relation needs the box centres at least this far apart along its axis.</summary>
    public const double RelationMargin = 8;
    /// <summary>Minimum correlation for a glyph to count as read.</summary>
    public const double GlyphMinScore = 0.5;

    public static EvalOutcome Score(SceneSpec expected, Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(image);
        expected.Validate();
        var analysis = ImageAnalysis.Analyze(image);
        // Words are read first, so that every outcome of a word prompt tells how many letters were right.
        var seen = Seen(analysis);
        var words = Enumerable.Range(0, expected.Groups.Count).Where(i => expected.Groups[i].Shape == ShapeKind.Word)
            .ToDictionary(i => i, i => WordReader.Read(expected.Groups[i], analysis, seen));
        var outcome = Score(expected, analysis, words);
        return words.Count == 0 ? outcome : outcome with
        {
            Letters = new LetterCount(words.Values.Sum(w => w.Outcome.Letters!.Value.Right), words.Values.Sum(w => w.Outcome.Letters!.Value.Asked)),
        };
    }

    private static EvalOutcome Score(SceneSpec expected, ImageAnalysis analysis,
        Dictionary<int, (EvalOutcome Outcome, DetectedObject? Word)> words)
    {
        if (expected.Background is { } bg && analysis.Background != bg)
            return EvalOutcome.Fail($"background is {analysis.Background?.Name ?? "unrecognised"}, expected {bg.Name}");

        var matches = new List<List<DetectedObject>>();
        var wordsRead = "";
        for (var index = 0; index < expected.Groups.Count; index++)
        {
            var group = expected.Groups[index];
            if (words.TryGetValue(index, out var read))
            {
                var (outcome, word) = read;
                if (!outcome.Correct) return outcome;
                wordsRead = outcome.Reason + "; ";
                matches.Add([word!]);
                continue;
            }
            if (group.Shape == ShapeKind.Glyph)
            {
                var glyph = ScoreGlyph(group, analysis);
                if (!glyph.Correct) return glyph;
                matches.Add([]);
                continue;
            }
            var found = analysis.Objects.Where(o => Matches(o, group)).ToList();
            var enough = expected.Category == Category.Counting ? found.Count == group.Count : found.Count >= group.Count;
            if (!enough)
                return EvalOutcome.Fail($"expected {(expected.Category == Category.Counting ? "exactly" : "at least")} {group.Describe()}, found {found.Count}; saw {Seen(analysis)}");
            matches.Add(found);
        }

        if (expected.Relation is { } rel)
        {
            var holds = matches[rel.Subject].Any(a => matches[rel.Reference].Any(b => a != b && Holds(rel.Kind, a, b)));
            if (!holds)
                return EvalOutcome.Fail($"no {expected.Groups[rel.Subject].Describe()} is {rel.Kind} a {expected.Groups[rel.Reference].Describe()}; saw {Seen(analysis)}");
        }
        return EvalOutcome.Pass($"{wordsRead}saw {Seen(analysis)}");
    }

    /// <summary>Shape, and every attribute the group names.</summary>
    private static bool Matches(DetectedObject o, ObjectGroup group) =>
        o.Shape == group.Shape
        && (group.Colour is null || o.Colour == group.Colour)
        && (group.Size is null || o.Size == group.Size)
        && (group.Placement is null || o.Placement == group.Placement);

    public static bool Holds(RelationKind kind, DetectedObject a, DetectedObject b) =>
        Holds(kind, b.CentreX - a.CentreX, b.CentreY - a.CentreY);

    /// <summary>
    /// Whether a centre offset by (<paramref name="dx"/>, <paramref name="dy"/>) from the first object's to the
    /// second's makes the relation hold; <paramref name="slack"/> &gt; 0 asks for that much more on both tests
    /// (the edit generator places added objects where blur cannot tip the relation).
    /// </summary>
    public static bool Holds(RelationKind kind, double dx, double dy, double slack = 0)
    {
        var (along, across) = kind switch
        {
            RelationKind.Above => (dy, dx),
            RelationKind.Below => (-dy, dx),
            RelationKind.LeftOf => (dx, dy),
            RelationKind.RightOf => (-dx, dy),
            _ => (double.NaN, double.NaN),
        };
        return along > RelationMargin + slack && along >= Math.Abs(across) / 2 + slack;
    }

    private static EvalOutcome ScoreGlyph(ObjectGroup group, ImageAnalysis analysis)
    {
        var parts = analysis.Objects.Where(o => group.Colour is null ? o.Colour is not null : o.Colour == group.Colour).ToList();
        if (parts.Count == 0)
            return EvalOutcome.Fail($"no {group.Colour?.Name ?? "coloured"} glyph found; saw {Seen(analysis)}");
        // Strokes may come apart into pieces; specks far smaller than the main stroke are noise, not glyph.
        var largest = parts.Max(p => p.Area);
        parts = parts.Where(p => p.Area * 10 >= largest).ToList();
        int x0 = parts.Min(p => p.X), y0 = parts.Min(p => p.Y);
        int x1 = parts.Max(p => p.X + p.Width), y1 = parts.Max(p => p.Y + p.Height);
        var ink = new bool[analysis.Width * analysis.Height];
        foreach (var p in parts.SelectMany(p => p.Pixels)) ink[p] = true;
        var match = GlyphMatcher.Match(ink, analysis.Width, x0, y0, x1 - x0, y1 - y0);
        var read = $"read '{match.Glyph}' ({match.Score:F2}, next '{match.RunnerUp}' {match.RunnerUpScore:F2})";
        if (match.Glyph != group.Glyph) return EvalOutcome.Fail($"expected glyph '{group.Glyph}', {read}");
        return match.Score >= GlyphMinScore
            ? EvalOutcome.Pass(read)
            : EvalOutcome.Fail($"glyph '{group.Glyph}' too unclear, {read}");
    }

    private static string Seen(ImageAnalysis analysis) =>
        analysis.Objects.Count == 0 ? "nothing" : string.Join(", ", analysis.Objects.Select(o => o.Describe()));
}

/// <summary><see cref="Right"/> of <see cref="Asked"/> letters read in their places.</summary>
public readonly record struct LetterCount(int Right, int Asked);
