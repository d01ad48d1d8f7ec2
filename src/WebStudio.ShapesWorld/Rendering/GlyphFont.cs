namespace WebStudio.ShapesWorld.Rendering;

/// <summary>
/// A 5×7 bitmap font for A–Z and 0–9, defined in code so renders need no font files and the
/// evaluator can match against exactly the shapes the model was taught. Cells scale up to
/// ~10 px, giving thick strokes.
/// </summary>
public static class GlyphFont
{
    public const int Columns = 5;
    public const int Rows = 7;

    /// <summary>Every supported glyph, letters then digits.</summary>
    public const string Glyphs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly Dictionary<char, bool[]> Bitmaps = Build();

    public static bool Supports(char glyph) => Bitmaps.ContainsKey(char.ToUpperInvariant(glyph));

    public static bool IsDigit(char glyph) => glyph is >= '0' and <= '9';

    /// <summary>Whether cell (<paramref name="column"/>, <paramref name="row"/>) of the glyph is ink.</summary>
    public static bool IsInk(char glyph, int column, int row) =>
        (uint)column < Columns && (uint)row < Rows && Bitmap(glyph)[row * Columns + column];

    /// <summary>The glyph's 35 cells, row-major.</summary>
    public static bool[] Bitmap(char glyph) =>
        Bitmaps.TryGetValue(char.ToUpperInvariant(glyph), out var bits)
            ? bits
            : throw new ArgumentException($"Glyph '{glyph}' is not in the font (A-Z, 0-9).", nameof(glyph));

    /// <summary>Inclusive cell range that holds ink (e.g. "1" uses only columns 1-3).</summary>
    public static (int MinColumn, int MinRow, int MaxColumn, int MaxRow) InkBounds(char glyph)
    {
        var bits = Bitmap(glyph);
        int minC = Columns, minR = Rows, maxC = -1, maxR = -1;
        for (var r = 0; r < Rows; r++)
        for (var c = 0; c < Columns; c++)
        {
            if (!bits[r * Columns + c]) continue;
            minC = Math.Min(minC, c); maxC = Math.Max(maxC, c);
            minR = Math.Min(minR, r); maxR = Math.Max(maxR, r);
        }
        return (minC, minR, maxC, maxR);
    }

    private static Dictionary<char, bool[]> Build()
    {
        // Each glyph: 7 rows of 5 cells, '#' = ink.
        var rows = new Dictionary<char, string>
        {
            ['A'] = ".###. #...# #...# ##### #...# #...# #...#",
            ['B'] = "####. #...# #...# ####. #...# #...# ####.",
            ['C'] = ".###. #...# #.... #.... #.... #...# .###.",
            ['D'] = "####. #...# #...# #...# #...# #...# ####.",
            ['E'] = "##### #.... #.... ####. #.... #.... #####",
            ['F'] = "##### #.... #.... ####. #.... #.... #....",
            ['G'] = ".###. #...# #.... #.### #...# #...# .####",
            ['H'] = "#...# #...# #...# ##### #...# #...# #...#",
            ['I'] = ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
            ['J'] = "..### ...#. ...#. ...#. ...#. #..#. .##..",
            ['K'] = "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
            ['L'] = "#.... #.... #.... #.... #.... #.... #####",
            ['M'] = "#...# ##.## #.#.# #.#.# #...# #...# #...#",
            ['N'] = "#...# #...# ##..# #.#.# #..## #...# #...#",
            ['O'] = ".###. #...# #...# #...# #...# #...# .###.",
            ['P'] = "####. #...# #...# ####. #.... #.... #....",
            ['Q'] = ".###. #...# #...# #...# #.#.# #..#. .##.#",
            ['R'] = "####. #...# #...# ####. #.#.. #..#. #...#",
            ['S'] = ".#### #.... #.... .###. ....# ....# ####.",
            ['T'] = "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
            ['U'] = "#...# #...# #...# #...# #...# #...# .###.",
            ['V'] = "#...# #...# #...# #...# #...# .#.#. ..#..",
            ['W'] = "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
            ['X'] = "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
            ['Y'] = "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
            ['Z'] = "##### ....# ...#. ..#.. .#... #.... #####",
            ['0'] = ".###. #...# #..## #.#.# ##..# #...# .###.",
            ['1'] = "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
            ['2'] = ".###. #...# ....# ...#. ..#.. .#... #####",
            ['3'] = "##### ...#. ..#.. ...#. ....# #...# .###.",
            ['4'] = "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
            ['5'] = "##### #.... ####. ....# ....# #...# .###.",
            ['6'] = "..##. .#... #.... ####. #...# #...# .###.",
            ['7'] = "##### ....# ...#. ..#.. .#... .#... .#...",
            ['8'] = ".###. #...# #...# .###. #...# #...# .###.",
            ['9'] = ".###. #...# #...# .#### ....# ...#. .##..",
        };
        return rows.ToDictionary(kv => kv.Key, kv => kv.Value.Replace(" ", "").Select(ch => ch == '#').ToArray());
    }
}
