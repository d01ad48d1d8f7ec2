using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>
/// Reads a glyph by correlating the ink inside its bounding box with every font glyph stretched to
/// the same box (each glyph over its own ink bounds, so narrow glyphs like "1" still line up).
/// </summary>
public static class GlyphMatcher
{
    private const int GridColumns = 15;
    private const int GridRows = 21;
    private const int SubSamples = 3;

    /// <summary>Best and runner-up glyphs with their Pearson correlations.</summary>
    public readonly record struct GlyphMatch(char Glyph, double Score, char RunnerUp, double RunnerUpScore);

    /// <param name="candidates">The glyphs it may be (a word's letters are never digits); all of them when null.</param>
    public static GlyphMatch Match(bool[] ink, int imageWidth, int x0, int y0, int width, int height, string? candidates = null)
    {
        var observed = Sample((u, v) =>
            ink[(y0 + Math.Min(height - 1, (int)(v * height))) * imageWidth + x0 + Math.Min(width - 1, (int)(u * width))]);
        (char G, double S) best = (' ', double.NegativeInfinity), second = (' ', double.NegativeInfinity);
        foreach (var glyph in candidates ?? GlyphFont.Glyphs)
        {
            var score = Correlation(observed, Template(glyph));
            if (score > best.S) { second = best; best = (glyph, score); }
            else if (score > second.S) second = (glyph, score);
        }
        return new GlyphMatch(best.G, best.S, second.G, second.S);
    }

    private static readonly Dictionary<char, double[]> Templates = GlyphFont.Glyphs.ToDictionary(g => g, BuildTemplate);

    private static double[] Template(char glyph) => Templates[glyph];

    private static double[] BuildTemplate(char glyph)
    {
        var (c0, r0, c1, r1) = GlyphFont.InkBounds(glyph);
        int cols = c1 - c0 + 1, rows = r1 - r0 + 1;
        return Sample((u, v) => GlyphFont.IsInk(glyph, c0 + Math.Min(cols - 1, (int)(u * cols)), r0 + Math.Min(rows - 1, (int)(v * rows))));
    }

    /// <summary>Coverage of each grid cell, from <see cref="SubSamples"/>² point samples in unit box coordinates.</summary>
    private static double[] Sample(Func<double, double, bool> inside)
    {
        var grid = new double[GridColumns * GridRows];
        for (var gy = 0; gy < GridRows; gy++)
        for (var gx = 0; gx < GridColumns; gx++)
        {
            var hits = 0;
            for (var sy = 0; sy < SubSamples; sy++)
            for (var sx = 0; sx < SubSamples; sx++)
                if (inside((gx + (sx + 0.5) / SubSamples) / GridColumns, (gy + (sy + 0.5) / SubSamples) / GridRows)) hits++;
            grid[gy * GridColumns + gx] = hits / (double)(SubSamples * SubSamples);
        }
        return grid;
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : 0;
    }
}
