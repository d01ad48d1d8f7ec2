using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld;

/// <summary>
/// Lays out the Words category: a word of 2–4 letters in the 5×7 font, one glyph per letter a cell apart, alone
/// (70%) or above or below a shape. Cells are 4.5–6.5 px, as wide as fits: a 4-letter word is 23 cells across.
/// </summary>
internal static class WordScenes
{
    private const double MinCell = 4.5;
    private const double MaxCell = 6.5;
    private const double Width = SceneSpec.ImageSize - 2 * LayoutPlanner.Margin - 4;

    public static SceneSpec Build(DeterministicRandom rng, NamedColour background, IReadOnlyList<NamedColour> colours, IReadOnlyList<string> words)
    {
        var text = rng.Pick(words);
        var colour = rng.Pick(colours);
        var cell = CellFor(text, rng);
        var (wordWidth, wordHeight) = Size(text, cell);
        var word = ObjectGroup.ForWord(text, rng.Chance(0.85) ? colour : null);
        var bg = rng.Chance(0.75) ? background : null;
        if (rng.Chance(0.7))
        {
            double x = Jitter(SceneSpec.ImageSize / 2.0, (Width - wordWidth) / 2, rng), y = Jitter(SceneSpec.ImageSize / 2.0, 12, rng);
            return new SceneSpec(Category.Words, [word], bg, null, new SceneLayout(background, [.. Letters(text, colour, x, y, cell, group: 0)]));
        }

        var shape = rng.Pick(SceneGenerator.Shapes);
        var shapeColour = rng.Pick(colours.Where(c => c != colour).ToArray());
        var size = rng.Chance(0.5) ? SizeClass.Small : SizeClass.Large;
        var diameter = LayoutPlanner.Diameter(size, rng);
        var (shapeWidth, shapeHeight) = ShapeGeometry.BoxSize(shape, diameter);
        var kind = rng.Chance(0.5) ? RelationKind.Above : RelationKind.Below;
        // Stacked: the word and the shape on one column, a gap of 8–16 px between them.
        var gap = 8 + 8 * rng.NextDouble();
        var span = wordHeight + gap + shapeHeight;
        var top = LayoutPlanner.Margin + (SceneSpec.ImageSize - 2 * LayoutPlanner.Margin - span) * rng.NextDouble();
        var wordFirst = kind == RelationKind.Above;
        var wordY = wordFirst ? top + wordHeight / 2 : top + shapeHeight + gap + wordHeight / 2;
        var shapeY = wordFirst ? top + wordHeight + gap + shapeHeight / 2 : top + shapeHeight / 2;
        var wordX = Jitter(SceneSpec.ImageSize / 2.0, (Width - wordWidth) / 2, rng);
        var shapeX = Math.Clamp(Jitter(wordX, 16, rng), LayoutPlanner.Margin + shapeWidth / 2, SceneSpec.ImageSize - LayoutPlanner.Margin - shapeWidth / 2);
        var shapeGroup = new ObjectGroup(shape, rng.Chance(0.6) ? shapeColour : null, rng.Chance(0.2) ? size : null);
        PlacedObject[] placed =
        [
            .. Letters(text, colour, wordX, wordY, cell, group: 0),
            new PlacedObject(1, shape, shapeColour, LayoutPlanner.Tight(shape, shapeX, shapeY, diameter)),
        ];
        return new SceneSpec(Category.Words, [word, shapeGroup], bg, new SpatialRelation(0, kind, 1), new SceneLayout(background, placed));
    }

    /// <summary>The glyph boxes of <paramref name="text"/> centred on (<paramref name="centreX"/>, <paramref name="centreY"/>).</summary>
    public static IEnumerable<PlacedObject> Letters(string text, NamedColour colour, double centreX, double centreY, double cell, int group)
    {
        var (width, height) = Size(text, cell);
        var left = centreX - width / 2;
        for (var i = 0; i < text.Length; i++)
        {
            var box = new PixelBox(left + i * (GlyphFont.Columns + 1) * cell, centreY - height / 2, GlyphFont.Columns * cell, height);
            yield return new PlacedObject(group, ShapeKind.Glyph, colour, box, text[i]);
        }
    }

    public static (double Width, double Height) Size(string text, double cell) =>
        (((GlyphFont.Columns + 1) * text.Length - 1) * cell, GlyphFont.Rows * cell);

    private static double CellFor(string text, DeterministicRandom rng)
    {
        var widest = Math.Min(MaxCell, Width / ((GlyphFont.Columns + 1) * text.Length - 1));
        return MinCell + (widest - MinCell) * rng.NextDouble();
    }

    private static double Jitter(double centre, double by, DeterministicRandom rng) => centre - by + 2 * by * rng.NextDouble();
}
