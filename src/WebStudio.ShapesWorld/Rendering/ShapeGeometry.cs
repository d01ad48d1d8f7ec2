namespace WebStudio.ShapesWorld.Rendering;

/// <summary>
/// Exact shape outlines. Boxes are tight: a shape of nominal diameter D gets the box
/// <see cref="BoxSize"/> returns, and <see cref="Contains"/> tests a point against the shape drawn in it.
/// Star vertices are constants (not Math.Sin) so renders are bit-identical on every platform.
/// </summary>
public static class ShapeGeometry
{
    public const double SquareSideRatio = 0.88;
    public const double TriangleHeightRatio = 0.8660254037844386;
    public const double RingInnerRatio = 0.5;
    public const double StarInnerRatio = 0.5;

    // Unit star: outer points at -90° + 72°k, inner points between them, y pointing down.
    private static readonly double[] StarX =
        [0, 0.5877852522924731, 0.9510565162951535, 0.9510565162951535, 0.5877852522924731, 0, -0.5877852522924731, -0.9510565162951535, -0.9510565162951535, -0.5877852522924731];
    private static readonly double[] StarY =
        [-1, -0.8090169943749475, -0.3090169943749474, 0.3090169943749474, 0.8090169943749475, 1, 0.8090169943749475, 0.3090169943749474, -0.3090169943749474, -0.8090169943749475];
    private const double StarHalfWidth = 0.9510565162951535;
    private const double StarBottom = 0.8090169943749475;

    /// <summary>Tight width and height of a shape with nominal diameter <paramref name="diameter"/>.</summary>
    public static (double Width, double Height) BoxSize(ShapeKind shape, double diameter) => shape switch
    {
        ShapeKind.Circle or ShapeKind.Ring => (diameter, diameter),
        ShapeKind.Square => (diameter * SquareSideRatio, diameter * SquareSideRatio),
        ShapeKind.Triangle => (diameter, diameter * TriangleHeightRatio),
        ShapeKind.Star => (diameter * StarHalfWidth, diameter / 2 * (1 + StarBottom)),
        _ => throw new ArgumentException($"Shape {shape} has no fixed geometry; glyph boxes come from the font.", nameof(shape)),
    };

    /// <summary>Whether point (x, y) lies inside <paramref name="shape"/> drawn in <paramref name="box"/>.</summary>
    public static bool Contains(ShapeKind shape, PixelBox box, char? glyph, double x, double y)
    {
        switch (shape)
        {
            case ShapeKind.Circle:
            case ShapeKind.Ring:
            {
                var r = box.Width / 2;
                double dx = x - box.CentreX, dy = y - box.CentreY, d2 = dx * dx + dy * dy;
                if (d2 > r * r) return false;
                var inner = r * RingInnerRatio;
                return shape == ShapeKind.Circle || d2 >= inner * inner;
            }
            case ShapeKind.Square:
                return x >= box.X && x < box.Right && y >= box.Y && y < box.Bottom;
            case ShapeKind.Triangle:
            {
                if (y < box.Y || y >= box.Bottom) return false;
                var halfWidthAtY = (y - box.Y) / box.Height * box.Width / 2;
                return Math.Abs(x - box.CentreX) <= halfWidthAtY;
            }
            case ShapeKind.Star:
                return InStar(box, x, y);
            case ShapeKind.Glyph:
            {
                var cell = box.Width / GlyphFont.Columns;
                if (x < box.X || y < box.Y) return false;
                return GlyphFont.IsInk(glyph ?? ' ', (int)((x - box.X) / cell), (int)((y - box.Y) / cell));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape");
        }
    }

    private static bool InStar(PixelBox box, double x, double y)
    {
        var radius = box.Width / (2 * StarHalfWidth);
        var ux = (x - box.CentreX) / radius;
        var uy = (y - (box.Y + radius)) / radius;
        // Even-odd crossing test against the 10-vertex outline.
        var inside = false;
        for (int i = 0, j = StarX.Length - 1; i < StarX.Length; j = i++)
        {
            double xi = StarX[i] * (i % 2 == 0 ? 1 : StarInnerRatio), yi = StarY[i] * (i % 2 == 0 ? 1 : StarInnerRatio);
            double xj = StarX[j] * (j % 2 == 0 ? 1 : StarInnerRatio), yj = StarY[j] * (j % 2 == 0 ? 1 : StarInnerRatio);
            if ((yi > uy) != (yj > uy) && ux < (xj - xi) * (uy - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }
}
