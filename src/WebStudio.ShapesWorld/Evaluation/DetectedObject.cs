namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>
/// One foreground blob found in an image: its nearest object colour (null when no palette colour is
/// close), classified shape (null when it matches none), pixel bounding box and mask.
/// </summary>
public sealed record DetectedObject(
    NamedColour? Colour,
    ShapeKind? Shape,
    int Area,
    int X,
    int Y,
    int Width,
    int Height,
    IReadOnlyList<int> Pixels)
{
    /// <summary>Boxes at least this many pixels across count as large.</summary>
    public const int LargeThreshold = 38;

    public double CentreX => X + Width / 2.0;
    public double CentreY => Y + Height / 2.0;
    public SizeClass Size => Math.Max(Width, Height) >= LargeThreshold ? SizeClass.Large : SizeClass.Small;

    /// <summary>Where the box centre lies: within 14 px of the middle is centre, else the dominant axis.</summary>
    public Placement Placement => PlacementOf(CentreX, CentreY);

    /// <summary>The placement the evaluator reads for a box centred at (<paramref name="centreX"/>, <paramref name="centreY"/>).</summary>
    public static Placement PlacementOf(double centreX, double centreY)
    {
        double dx = centreX - SceneSpec.ImageSize / 2.0, dy = centreY - SceneSpec.ImageSize / 2.0;
        if (Math.Abs(dx) < 14 && Math.Abs(dy) < 14) return Placement.Centre;
        return Math.Abs(dx) >= Math.Abs(dy)
            ? dx < 0 ? Placement.Left : Placement.Right
            : dy < 0 ? Placement.Top : Placement.Bottom;
    }

    public string Describe() =>
        $"{Colour?.Name ?? "unknown-colour"} {Shape?.ToString().ToLowerInvariant() ?? "unknown-shape"} ({Width}x{Height} at {CentreX:F0},{CentreY:F0})";
}
