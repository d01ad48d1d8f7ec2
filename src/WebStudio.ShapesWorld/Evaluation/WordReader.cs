using System.Globalization;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>
/// Reads a word. The blobs of its colour are put in rows (blobs that overlap vertically). A row's ink is the pixels at
/// least half its colour and half the background's: the blur between two letters a cell apart joins their blobs, but
/// not their ink. The row's columns are cut into glyphs where their coverage stays low, and the glyphs into runs at gaps of
/// <see cref="RunGap"/> cells or more (a word's letters are one cell apart, up to three between the inks of narrow
/// letters such as I). A glyph too wide for one letter, where the
/// run has fewer glyphs than the word letters, is cut evenly. Each glyph is matched against the font's letters. A word
/// is read when one run reads every letter, in order, each at least <see cref="LetterMinScore"/>: a missing, extra or
/// wrong letter fails.
/// </summary>
internal static class WordReader
{
    /// <summary>Glyphs this many cells apart or more are separate runs (a shape beside a word is not its letter).</summary>
    private const double RunGap = 4;
    /// <summary>How far a pixel's colour may lie from the line between the background and the word's colour (an object
    /// of another colour in the row is not ink).</summary>
    private const double OffLine = 60;
    private const int BoxMargin = 2;
    /// <summary>Columns whose coverage peaks below this part glyphs. A cell's gap between letters blurred at σ 1.5 peaks
    /// near 0.13; where one cell of a diagonal (N, M) meets the next at a corner, a column can peak just under 0.5.</summary>
    private const double CutCoverage = 0.3;
    /// <summary>A glyph wider than this many cells holds more than one letter (a letter is 5 wide).</summary>
    private const double WidestLetter = 7.5;
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>A letter's lowest correlation. Lower than a lone glyph's (<see cref="Evaluator.GlyphMinScore"/>): at cells of
    /// 4.5–6.5 px the blur of a 16×16 latent lowers rightly read letters to 0.3–0.5. Being the best of 26, for every
    /// letter in order, is what tells words apart.</summary>
    public const double LetterMinScore = 0.3;

    public static (EvalOutcome Outcome, DetectedObject? Word) Read(ObjectGroup group, ImageAnalysis analysis, string seen)
    {
        var text = group.Text!;
        var parts = analysis.Objects.Where(o => group.Colour is null ? o.Colour is not null : o.Colour == group.Colour).ToList();
        if (parts.Count == 0)
            return (EvalOutcome.Fail($"no {group.Colour?.Name ?? "coloured"} word found; saw {seen}") with { Letters = new(0, text.Length) }, null);

        var reads = Rows(parts).SelectMany(row => Runs(row, group.Colour ?? row[0].Colour!, analysis, text.Length)).ToList();
        if (reads.FirstOrDefault(r => r.Text == text && r.Scores.All(s => s >= LetterMinScore)) is { Text: not null } found)
            return (EvalOutcome.Pass($"read '{found.Text}' ({Scores(found)})") with { Letters = new(text.Length, text.Length) }, found.Object);
        if (reads.Count == 0)
            return (EvalOutcome.Fail($"no {group.Colour?.Name ?? "coloured"} letters found; saw {seen}") with { Letters = new(0, text.Length) }, null);

        // The nearest read for the message: the most letters right, in place.
        var nearest = reads.MaxBy(r => InPlace(r, text) - Math.Abs(r.Text.Length - text.Length));
        var letters = new LetterCount(InPlace(nearest, text), text.Length);
        var outcome = nearest.Text == text
            ? EvalOutcome.Fail($"the word {text} too unclear, read '{nearest.Text}' ({Scores(nearest)})")
            : EvalOutcome.Fail($"expected the word {text}, read '{nearest.Text}' ({Scores(nearest)})");
        return (outcome with { Letters = letters }, null);
    }

    /// <summary>The letters read right in their places, each clear enough.</summary>
    private static int InPlace(RunRead read, string text) =>
        read.Text.Zip(text).Zip(read.Scores).Count(p => p.First.First == p.First.Second && p.Second >= LetterMinScore);

    private readonly record struct RunRead(string Text, double[] Scores, DetectedObject Object);

    /// <summary>A glyph's columns [X0, X1) in its row.</summary>
    private readonly record struct Glyph(int X0, int X1, int Ink);

    private static string Scores(RunRead read) =>
        string.Join(' ', read.Scores.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)));

    /// <summary>Blobs grouped by vertical overlap of at least half the shorter one.</summary>
    private static List<List<DetectedObject>> Rows(List<DetectedObject> parts)
    {
        var rows = new List<List<DetectedObject>>();
        foreach (var part in parts.OrderByDescending(p => p.Height))
        {
            var row = rows.FirstOrDefault(r => r.Any(o => VerticalOverlap(o, part) * 2 >= Math.Min(o.Height, part.Height)));
            if (row is null) rows.Add([part]);
            else row.Add(part);
        }

        return rows;
    }

    private static int VerticalOverlap(DetectedObject a, DetectedObject b) =>
        Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);

    private static IEnumerable<RunRead> Runs(List<DetectedObject> row, NamedColour colour, ImageAnalysis analysis, int letters)
    {
        var ink = RowInk.Of(row, colour, analysis);
        var glyphs = new List<Glyph>();
        for (var x = 0; x < ink.Peaks.Length; x++)
        {
            if (ink.Peaks[x] < CutCoverage) continue;
            var start = x;
            while (x < ink.Peaks.Length && ink.Peaks[x] >= CutCoverage) x++;
            glyphs.Add(new Glyph(ink.Left + start, ink.Left + x, ink.Counts[start..x].Sum()));
        }

        // Specks far smaller than the row's largest glyph are noise, as for a single glyph.
        var largest = glyphs.Count == 0 ? 0 : glyphs.Max(g => g.Ink);
        glyphs = glyphs.Where(g => g.Ink * 10 >= largest).ToList();
        if (glyphs.Count == 0) yield break;

        // A cell is a seventh of the tallest glyph's ink.
        var cell = glyphs.Max(g => ink.Extent(g).Height) / (double)GlyphFont.Rows;
        var run = new List<Glyph>();
        foreach (var glyph in glyphs)
        {
            if (run.Count > 0 && glyph.X0 - run[^1].X1 >= RunGap * cell)
            {
                yield return ReadRun(Split(run, cell, letters), ink, colour, analysis);
                run = [];
            }

            run.Add(glyph);
        }

        yield return ReadRun(Split(run, cell, letters), ink, colour, analysis);
    }

    /// <summary>
    /// A row's ink: the pixels in its blobs' box at least half-way from the background to its colour and near the line
    /// between them (<see cref="Mask"/>, the whole image's size), and per column of the box from <see cref="Left"/>: the
    /// peak coverage (0 background, 1 the colour), the ink pixels, and the first and last ink rows. The box, not the
    /// blobs: the 3×3 opening that cleans the blobs cuts the one-cell diagonals of letters such as N at small cells,
    /// and the pieces are too small to be blobs.
    /// </summary>
    private sealed record RowInk(bool[] Mask, int Left, double[] Peaks, int[] Counts, int[] Tops, int[] Bottoms)
    {
        public static RowInk Of(List<DetectedObject> row, NamedColour colour, ImageAnalysis analysis)
        {
            var bg = analysis.BackgroundRgb;
            double dr = colour.R - bg.R, dg = colour.G - bg.G, db = colour.B - bg.B;
            var span = dr * dr + dg * dg + db * db;
            int x0 = Math.Max(0, row.Min(o => o.X) - BoxMargin), x1 = Math.Min(analysis.Width, row.Max(o => o.X + o.Width) + BoxMargin);
            int y0 = Math.Max(0, row.Min(o => o.Y) - BoxMargin), y1 = Math.Min(analysis.Height, row.Max(o => o.Y + o.Height) + BoxMargin);
            var ink = new RowInk(new bool[analysis.Width * analysis.Height], x0, new double[x1 - x0], new int[x1 - x0],
                Enumerable.Repeat(int.MaxValue, x1 - x0).ToArray(), Enumerable.Repeat(-1, x1 - x0).ToArray());
            for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
            {
                var pixel = y * analysis.Width + x;
                Rgb24 p = analysis.Pixels[pixel];
                double r = p.R - bg.R, g = p.G - bg.G, b = p.B - bg.B;
                var along = ((r * dr) + (g * dg) + (b * db)) / span;
                var off = Math.Pow(r - along * dr, 2) + Math.Pow(g - along * dg, 2) + Math.Pow(b - along * db, 2);
                if (off > OffLine * OffLine) continue;
                var column = x - x0;
                ink.Peaks[column] = Math.Max(ink.Peaks[column], along);
                if (along < 0.5) continue;
                ink.Mask[pixel] = true;
                ink.Counts[column]++;
                ink.Tops[column] = Math.Min(ink.Tops[column], y);
                ink.Bottoms[column] = Math.Max(ink.Bottoms[column], y);
            }

            return ink;
        }

        /// <summary>The first ink row of a glyph's columns and the rows down to its last; (0, 0) without ink.</summary>
        public (int Y0, int Height) Extent(Glyph glyph)
        {
            int top = int.MaxValue, bottom = -1;
            for (var x = glyph.X0 - Left; x < glyph.X1 - Left; x++)
            {
                top = Math.Min(top, Tops[x]);
                bottom = Math.Max(bottom, Bottoms[x]);
            }

            return bottom < 0 ? (0, 0) : (top, bottom - top + 1);
        }
    }

    /// <summary>Cuts glyphs too wide for one letter evenly, widest first, while the run has fewer glyphs than the word letters.</summary>
    private static List<Glyph> Split(List<Glyph> run, double cell, int letters)
    {
        while (run.Count < letters)
        {
            var widest = run.MaxBy(g => g.X1 - g.X0);
            var width = widest.X1 - widest.X0;
            if (width <= WidestLetter * cell) break;
            var parts = Math.Clamp((int)Math.Round((width + cell) / ((GlyphFont.Columns + 1) * cell)), 2, letters - run.Count + 1);
            var index = run.IndexOf(widest);
            run.RemoveAt(index);
            run.InsertRange(index, Enumerable.Range(0, parts).Select(k =>
                new Glyph(widest.X0 + width * k / parts, widest.X0 + width * (k + 1) / parts, widest.Ink / parts)));
        }

        return run;
    }

    private static RunRead ReadRun(List<Glyph> glyphs, RowInk ink, NamedColour colour, ImageAnalysis analysis)
    {
        var text = new char[glyphs.Count];
        var scores = new double[glyphs.Count];
        int top = int.MaxValue, bottom = 0;
        for (var i = 0; i < glyphs.Count; i++)
        {
            var (y0, height) = ink.Extent(glyphs[i]);
            var match = GlyphMatcher.Match(ink.Mask, analysis.Width, glyphs[i].X0, y0, glyphs[i].X1 - glyphs[i].X0, Math.Max(1, height), Letters);
            text[i] = match.Glyph;
            scores[i] = match.Score;
            top = Math.Min(top, y0);
            bottom = Math.Max(bottom, y0 + height);
        }

        int left = glyphs[0].X0, right = glyphs[^1].X1;
        var pixels = Enumerable.Range(top, Math.Max(0, bottom - top))
            .SelectMany(y => Enumerable.Range(y * analysis.Width + left, right - left)).Where(p => ink.Mask[p]).ToArray();
        var word = new DetectedObject(colour, ShapeKind.Word, pixels.Length, left, top, right - left, bottom - top, pixels);
        return new RunRead(new string(text), scores, word);
    }
}
