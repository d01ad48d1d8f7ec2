namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>
/// Names a blob's shape from scale-free features that survive blur and JPEG noise: a hole makes a
/// ring; a narrow top band (upward point) a triangle when its widest rows are at the bottom, else a
/// star (widest at the arms, ~40% down); low
/// solidity (area / convex hull) a star; full top and bottom bands a square; otherwise a circle.
/// </summary>
public static class ShapeClassifier
{
    public const double RingHoleRatio = 0.08;
    public const double StarSolidity = 0.8;
    /// <summary>Top band fill below this means the shape rises to a point (triangle ≈ 0.1, circle ≈ 0.56).</summary>
    public const double PointedTop = 0.35;
    /// <summary>Where the widest rows sit, as a share of the height: triangle ≈ 0.95, star ≈ 0.4.</summary>
    public const double WidestLow = 0.7;
    /// <summary>Mean band fill of a square (≈ 1) versus a circle (≈ 0.56).</summary>
    public const double SquareBands = 0.8;
    /// <summary>Share of the box height in each band.</summary>
    private const double Band = 0.2;

    /// <summary>Blob features: hole area, solidity, fills of the whole box and of its top and bottom 20%.</summary>
    public readonly record struct Features(int Area, int HoleArea, double Solidity, double BoxFill, double TopFill, double BottomFill, double WidestAt, double Aspect);

    public static ShapeKind? Classify(IReadOnlyList<int> blob, int imageWidth, int x0, int y0, int width, int height)
    {
        var f = Measure(blob, imageWidth, x0, y0, width, height);
        if (f.Aspect is < 0.6 or > 1.6) return null;
        var filled = f.Area + f.HoleArea;
        if ((double)f.HoleArea / filled > RingHoleRatio) return f.BoxFill >= 0.55 ? ShapeKind.Ring : null;
        if (f.TopFill < PointedTop) return f.WidestAt >= WidestLow ? ShapeKind.Triangle : ShapeKind.Star;
        if (f.Solidity < StarSolidity) return ShapeKind.Star;
        return (f.TopFill + f.BottomFill) / 2 >= SquareBands ? ShapeKind.Square : ShapeKind.Circle;
    }

    public static Features Measure(IReadOnlyList<int> blob, int imageWidth, int x0, int y0, int width, int height)
    {
        var mask = new bool[width * height];
        foreach (var p in blob) mask[(p / imageWidth - y0) * width + (p % imageWidth - x0)] = true;
        var holes = HoleArea(mask, width, height);
        var filled = blob.Count + holes;
        var hull = HullArea(mask, width, height);
        var band = Math.Max(1, (int)Math.Round(height * Band));
        return new Features(blob.Count, holes, hull > 0 ? filled / hull : 0, (double)filled / (width * height),
            BandFill(mask, width, 0, band), BandFill(mask, width, height - band, height), WidestAt(mask, width, height),
            (double)width / height);
    }

    /// <summary>Mean height (0 top, 1 bottom) of the rows at least 90% as wide as the widest row.</summary>
    private static double WidestAt(bool[] mask, int w, int h)
    {
        var widths = new int[h];
        for (var y = 0; y < h; y++)
        {
            int left = -1, right = -1;
            for (var x = 0; x < w; x++)
            {
                if (!mask[y * w + x]) continue;
                if (left < 0) left = x;
                right = x;
            }
            widths[y] = left < 0 ? 0 : right - left + 1;
        }
        var max = widths.Max();
        var rows = Enumerable.Range(0, h).Where(y => widths[y] >= 0.9 * max).ToList();
        return (rows.Average() + 0.5) / h;
    }

    private static double BandFill(bool[] mask, int w, int rowStart, int rowEnd)
    {
        var count = 0;
        for (var i = rowStart * w; i < rowEnd * w; i++) if (mask[i]) count++;
        return (double)count / ((rowEnd - rowStart) * w);
    }

    /// <summary>Background pixels inside the box that cannot reach the box edge (4-connected).</summary>
    private static int HoleArea(bool[] mask, int w, int h)
    {
        var outside = new bool[mask.Length];
        var stack = new Stack<int>();
        for (var x = 0; x < w; x++) { Seed(x); Seed((h - 1) * w + x); }
        for (var y = 0; y < h; y++) { Seed(y * w); Seed(y * w + w - 1); }
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            int x = p % w, y = p / w;
            if (x > 0) Seed(p - 1);
            if (x < w - 1) Seed(p + 1);
            if (y > 0) Seed(p - w);
            if (y < h - 1) Seed(p + w);
        }
        var holes = 0;
        for (var i = 0; i < mask.Length; i++) if (!mask[i] && !outside[i]) holes++;
        return holes;

        void Seed(int p)
        {
            if (mask[p] || outside[p]) return;
            outside[p] = true;
            stack.Push(p);
        }
    }

    /// <summary>Area of the convex hull of the pixel squares (monotone chain over row extremes).</summary>
    private static double HullArea(bool[] mask, int w, int h)
    {
        var points = new List<(int X, int Y)>();
        for (var y = 0; y < h; y++)
        {
            int left = -1, right = -1;
            for (var x = 0; x < w; x++)
            {
                if (!mask[y * w + x]) continue;
                if (left < 0) left = x;
                right = x;
            }
            if (left < 0) continue;
            points.Add((left, y)); points.Add((left, y + 1)); points.Add((right + 1, y)); points.Add((right + 1, y + 1));
        }
        points.Sort();
        if (points.Count < 3) return 0;
        var hull = new List<(int X, int Y)>();
        foreach (var pass in new[] { points, Enumerable.Reverse(points).ToList() })
        {
            var start = hull.Count;
            foreach (var p in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        double area = 0;
        for (var i = 0; i < hull.Count; i++)
        {
            var (ax, ay) = hull[i];
            var (bx, by) = hull[(i + 1) % hull.Count];
            area += (double)ax * by - (double)bx * ay;
        }
        return Math.Abs(area) / 2;
    }

    private static long Cross((int X, int Y) o, (int X, int Y) a, (int X, int Y) b) =>
        (long)(a.X - o.X) * (b.Y - o.Y) - (long)(a.Y - o.Y) * (b.X - o.X);
}
