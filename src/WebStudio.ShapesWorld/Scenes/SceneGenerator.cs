using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld;

/// <summary>
/// Deterministic stream of captioned scenes: sample <c>index</c> of <c>seed</c> is always the same
/// image bytes, caption and spec. <see cref="Next"/> walks the indices 0, 1, 2, … with the category mix.
/// </summary>
public sealed class SceneGenerator
{
    /// <summary>The five geometric shapes (glyphs are the Letters category, words the Words category).</summary>
    public static IReadOnlyList<ShapeKind> Shapes { get; } =
        [ShapeKind.Circle, ShapeKind.Square, ShapeKind.Triangle, ShapeKind.Star, ShapeKind.Ring];

    private readonly (Category Category, double Weight)[] _mix;
    private long _next;

    /// <param name="seed">Stream seed.</param>
    /// <param name="mix">Relative category weights; null or empty means all categories equally.</param>
    public SceneGenerator(long seed, IReadOnlyDictionary<Category, double>? mix = null)
    {
        Seed = seed;
        _mix = mix is null || mix.Count == 0
            ? Enum.GetValues<Category>().Select(c => (c, 1.0)).ToArray()
            : mix.Where(kv => kv.Value > 0).Select(kv => (kv.Key, kv.Value)).OrderBy(p => p.Key).ToArray();
        if (_mix.Length == 0) throw new ArgumentException("mix: at least one category needs a positive weight.", nameof(mix));
    }

    public long Seed { get; }

    /// <summary>Index the next call to <see cref="Next"/> will produce; settable to resume a stream.</summary>
    public long Position { get => _next; set => _next = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); }

    public Sample Next() => Generate(_next++);

    /// <summary>Sample <paramref name="index"/> of this stream (category from the mix unless given).</summary>
    public Sample Generate(long index, Category? category = null)
    {
        var plan = Plan(index, category);
        return new Sample(SceneRenderer.Render(plan.Spec.Layout!), plan.Caption, plan.Spec, plan.Category, Seed, index);
    }

    /// <summary>Caption and spec of sample <paramref name="index"/> without drawing it (cheap: for vocabularies and caption corpora).</summary>
    public ScenePlan Plan(long index, Category? category = null) => Plan(index, category, WordList.Training);

    /// <summary>As <see cref="Plan(long, Category?)"/>, with the Words category's words drawn from <paramref name="words"/>
    /// (the words suite asks for <see cref="WordList.HeldOut"/>).</summary>
    internal ScenePlan Plan(long index, Category? category, IReadOnlyList<string> words)
    {
        var rng = DeterministicRandom.ForSample(Seed, index);
        var chosen = category ?? PickCategory(rng);
        var spec = Build(rng, chosen, words);
        return new ScenePlan(CaptionGrammar.Describe(spec, rng), spec, chosen, Seed, index);
    }

    /// <summary>Sample <paramref name="index"/> of stream <paramref name="seed"/> with a uniform category mix.</summary>
    public static Sample Generate(long seed, long index, Category? category = null) =>
        new SceneGenerator(seed).Generate(index, category);

    /// <summary>Draws the ground truth of a generated spec.</summary>
    public static SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> Render(SceneSpec spec) =>
        SceneRenderer.Render(spec.Layout ?? throw new ArgumentException("spec.Layout: only generated specs carry a layout to render.", nameof(spec)));

    private Category PickCategory(DeterministicRandom rng)
    {
        var total = _mix.Sum(m => m.Weight);
        var u = rng.NextDouble() * total;
        foreach (var (category, weight) in _mix)
        {
            if (u < weight) return category;
            u -= weight;
        }
        return _mix[^1].Category;
    }

    private static SceneSpec Build(DeterministicRandom rng, Category category, IReadOnlyList<string> words)
    {
        var background = rng.Pick(Palette.BackgroundColours);
        var colours = Palette.ObjectColoursOn(background);
        var spec = category switch
        {
            Category.SingleObject => Single(rng, category, background, colours, colourStated: rng.Chance(0.5)),
            Category.Colours => Single(rng, category, background, colours, colourStated: true),
            Category.TwoObjects => Two(rng, category, background, colours, coloursStated: rng.Chance(0.4), distinctColours: false),
            Category.ColourAttribution => Two(rng, category, background, colours, coloursStated: true, distinctColours: true),
            Category.Counting => Counting(rng, background, colours),
            Category.Position => rng.Chance(0.35) ? Placed(rng, background, colours) : Related(rng, background, colours),
            Category.Letters => Letter(rng, background, colours),
            Category.Words => WordScenes.Build(rng, background, colours, words),
            _ => throw new ArgumentOutOfRangeException(nameof(category), category, "unknown category"),
        };
        return spec.Validate();
    }

    private static NamedColour? Stated(NamedColour colour, bool stated) => stated ? colour : null;

    private static SizeClass RandomSize(DeterministicRandom rng) => rng.Chance(0.5) ? SizeClass.Small : SizeClass.Large;

    private static SizeClass? MaybeSize(SizeClass size, DeterministicRandom rng, double p) => rng.Chance(p) ? size : null;

    private static NamedColour? MaybeBackground(NamedColour background, DeterministicRandom rng) =>
        rng.Chance(0.75) ? background : null;

    private static SceneSpec Single(DeterministicRandom rng, Category category, NamedColour bg, IReadOnlyList<NamedColour> colours, bool colourStated)
    {
        var shape = rng.Pick(Shapes);
        var colour = rng.Pick(colours);
        var size = RandomSize(rng);
        var d = LayoutPlanner.Diameter(size, rng);
        var (x, y) = LayoutPlanner.Scatter([d], rng)[0];
        var group = new ObjectGroup(shape, Stated(colour, colourStated), MaybeSize(size, rng, 0.3));
        return new SceneSpec(category, [group], MaybeBackground(bg, rng), null,
            new SceneLayout(bg, [new PlacedObject(0, shape, colour, LayoutPlanner.Tight(shape, x, y, d))]));
    }

    private static (ShapeKind, ShapeKind) TwoShapes(DeterministicRandom rng)
    {
        var a = rng.Pick(Shapes);
        var others = Shapes.Where(s => s != a).ToArray();
        return (a, rng.Pick(others));
    }

    private static (NamedColour, NamedColour) TwoColours(DeterministicRandom rng, IReadOnlyList<NamedColour> colours, bool distinct)
    {
        var a = rng.Pick(colours);
        return (a, distinct ? rng.Pick(colours.Where(c => c != a).ToArray()) : rng.Pick(colours));
    }

    private static SceneSpec Two(DeterministicRandom rng, Category category, NamedColour bg, IReadOnlyList<NamedColour> colours, bool coloursStated, bool distinctColours)
    {
        var (sa, sb) = TwoShapes(rng);
        var (ca, cb) = TwoColours(rng, colours, distinctColours);
        SizeClass za = RandomSize(rng), zb = RandomSize(rng);
        double da = LayoutPlanner.Diameter(za, rng), db = LayoutPlanner.Diameter(zb, rng);
        var centres = LayoutPlanner.Scatter([da, db], rng);
        ObjectGroup[] groups =
        [
            new(sa, Stated(ca, coloursStated), MaybeSize(za, rng, 0.2)),
            new(sb, Stated(cb, coloursStated), MaybeSize(zb, rng, 0.2)),
        ];
        return new SceneSpec(category, groups, MaybeBackground(bg, rng), null, new SceneLayout(bg,
        [
            new PlacedObject(0, sa, ca, LayoutPlanner.Tight(sa, centres[0].X, centres[0].Y, da)),
            new PlacedObject(1, sb, cb, LayoutPlanner.Tight(sb, centres[1].X, centres[1].Y, db)),
        ]));
    }

    private static SceneSpec Counting(DeterministicRandom rng, NamedColour bg, IReadOnlyList<NamedColour> colours)
    {
        var shape = rng.Pick(Shapes);
        var colour = rng.Pick(colours);
        var count = rng.Chance(0.1) ? 1 : rng.NextInt(2, 4);
        // Three or four large objects do not fit side by side in 128 px.
        var size = count >= 3 ? SizeClass.Small : RandomSize(rng);
        var d = LayoutPlanner.Diameter(size, rng);
        var centres = LayoutPlanner.Scatter(Enumerable.Repeat(d, count).ToArray(), rng);
        var group = new ObjectGroup(shape, Stated(colour, rng.Chance(0.6)), MaybeSize(size, rng, 0.2), count);
        return new SceneSpec(Category.Counting, [group], MaybeBackground(bg, rng), null, new SceneLayout(bg,
            centres.Select(c => new PlacedObject(0, shape, colour, LayoutPlanner.Tight(shape, c.X, c.Y, d))).ToArray()));
    }

    private static SceneSpec Placed(DeterministicRandom rng, NamedColour bg, IReadOnlyList<NamedColour> colours)
    {
        var shape = rng.Pick(Shapes);
        var colour = rng.Pick(colours);
        var size = RandomSize(rng);
        var placement = rng.Pick(Enum.GetValues<Placement>());
        var d = LayoutPlanner.Diameter(size, rng);
        var (x, y) = LayoutPlanner.At(placement, d, rng);
        var group = new ObjectGroup(shape, Stated(colour, rng.Chance(0.6)), MaybeSize(size, rng, 0.2), 1, placement);
        return new SceneSpec(Category.Position, [group], MaybeBackground(bg, rng), null,
            new SceneLayout(bg, [new PlacedObject(0, shape, colour, LayoutPlanner.Tight(shape, x, y, d))]));
    }

    private static SceneSpec Related(DeterministicRandom rng, NamedColour bg, IReadOnlyList<NamedColour> colours)
    {
        var (sa, sb) = TwoShapes(rng);
        var (ca, cb) = TwoColours(rng, colours, distinct: false);
        var kind = rng.Pick(Enum.GetValues<RelationKind>());
        SizeClass za = RandomSize(rng), zb = RandomSize(rng);
        double da = LayoutPlanner.Diameter(za, rng), db = LayoutPlanner.Diameter(zb, rng);
        var (a, b) = LayoutPlanner.Pair(kind, da, db, rng);
        var stated = rng.Chance(0.6);
        ObjectGroup[] groups = [new(sa, Stated(ca, stated), MaybeSize(za, rng, 0.15)), new(sb, Stated(cb, stated), MaybeSize(zb, rng, 0.15))];
        return new SceneSpec(Category.Position, groups, MaybeBackground(bg, rng), new SpatialRelation(0, kind, 1), new SceneLayout(bg,
        [
            new PlacedObject(0, sa, ca, LayoutPlanner.Tight(sa, a.X, a.Y, da)),
            new PlacedObject(1, sb, cb, LayoutPlanner.Tight(sb, b.X, b.Y, db)),
        ]));
    }

    private static SceneSpec Letter(DeterministicRandom rng, NamedColour bg, IReadOnlyList<NamedColour> colours)
    {
        var glyph = GlyphFont.Glyphs[rng.NextInt(GlyphFont.Glyphs.Length)];
        var colour = rng.Pick(colours);
        var cell = 9 + 2.5 * rng.NextDouble();
        double w = cell * GlyphFont.Columns, h = cell * GlyphFont.Rows;
        double x = 64 - 8 + 16 * rng.NextDouble(), y = 64 - 6 + 12 * rng.NextDouble();
        var group = ObjectGroup.ForGlyph(glyph, Stated(colour, rng.Chance(0.85)));
        return new SceneSpec(Category.Letters, [group], MaybeBackground(bg, rng), null,
            new SceneLayout(bg, [new PlacedObject(0, ShapeKind.Glyph, colour, PixelBox.Around(x, y, w, h), glyph)]));
    }
}
