using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld;

/// <summary>Chooses object diameters and non-overlapping places that make a spec's words true.</summary>
internal static class LayoutPlanner
{
    private const int Size = SceneSpec.ImageSize;
    internal const double Margin = 3;
    internal const double Gap = 6;

    /// <summary>Nominal diameter for a size class (small 24-30 px, large 46-54 px).</summary>
    public static double Diameter(SizeClass size, DeterministicRandom rng) =>
        size == SizeClass.Small ? rng.NextInt(24, 30) : rng.NextInt(46, 54);

    public static PixelBox Tight(ShapeKind shape, double centreX, double centreY, double diameter)
    {
        var (w, h) = ShapeGeometry.BoxSize(shape, diameter);
        return PixelBox.Around(centreX, centreY, w, h);
    }

    /// <summary>Centre for a single object at an absolute placement.</summary>
    public static (double X, double Y) At(Placement placement, double diameter, DeterministicRandom rng)
    {
        double Near(double c, double jitter) => c - jitter + 2 * jitter * rng.NextDouble();
        double edge = diameter / 2 + Margin + 1 + 8 * rng.NextDouble();
        return placement switch
        {
            Placement.Centre => (Near(Size / 2.0, 5), Near(Size / 2.0, 5)),
            Placement.Left => (edge, Near(Size / 2.0, 8)),
            Placement.Right => (Size - edge, Near(Size / 2.0, 8)),
            Placement.Top => (Near(Size / 2.0, 8), edge),
            Placement.Bottom => (Near(Size / 2.0, 8), Size - edge),
            _ => throw new ArgumentOutOfRangeException(nameof(placement), placement, "unknown placement"),
        };
    }

    /// <summary>Random non-overlapping centres for objects of the given diameters.</summary>
    public static (double X, double Y)[] Scatter(IReadOnlyList<double> diameters, DeterministicRandom rng)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var placed = new List<(double X, double Y)>();
            var boxes = new List<PixelBox>();
            foreach (var d in diameters)
            {
                var ok = false;
                for (var tries = 0; tries < 100 && !ok; tries++)
                {
                    var span = Size - d - 2 * Margin;
                    double x = Margin + d / 2 + span * rng.NextDouble(), y = Margin + d / 2 + span * rng.NextDouble();
                    var box = PixelBox.Around(x, y, d, d);
                    if (boxes.Any(b => b.Overlaps(box, Gap))) continue;
                    boxes.Add(box);
                    placed.Add((x, y));
                    ok = true;
                }
                if (!ok) break;
            }
            if (placed.Count == diameters.Count) return placed.ToArray();
        }
        throw new InvalidOperationException($"Could not scatter {diameters.Count} objects of sizes {string.Join(",", diameters)} without overlap.");
    }

    /// <summary>Centres for a pair where the first is <paramref name="kind"/> the second, clearly separated on that axis.</summary>
    public static ((double X, double Y) First, (double X, double Y) Second) Pair(
        RelationKind kind, double firstDiameter, double secondDiameter, DeterministicRandom rng)
    {
        // Lay the pair out along a line: the "leading" object is the one nearer the top or left.
        var firstLeads = kind is RelationKind.Above or RelationKind.LeftOf;
        double lead = firstLeads ? firstDiameter : secondDiameter, trail = firstLeads ? secondDiameter : firstDiameter;
        var slack = Size - 2 * Margin - lead - trail;
        var gap = 8 + (slack - 8) * rng.NextDouble();
        var start = Margin + (slack - gap) * rng.NextDouble();
        var leadAlong = start + lead / 2;
        var trailAlong = start + lead + gap + trail / 2;
        var across = 40 + 48 * rng.NextDouble();
        double leadAcross = across - 8 + 16 * rng.NextDouble(), trailAcross = across - 8 + 16 * rng.NextDouble();
        var vertical = kind is RelationKind.Above or RelationKind.Below;
        (double, double) Point(double along, double acrossValue, double d)
        {
            var a = Math.Clamp(acrossValue, Margin + d / 2, Size - Margin - d / 2);
            return vertical ? (a, along) : (along, a);
        }
        var leadPoint = Point(leadAlong, leadAcross, lead);
        var trailPoint = Point(trailAlong, trailAcross, trail);
        return firstLeads ? (leadPoint, trailPoint) : (trailPoint, leadPoint);
    }
}
