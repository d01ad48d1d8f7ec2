using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>An object while an edit is built: its identity, look, centre and nominal diameter.</summary>
internal sealed record SceneObject(int Id, ShapeKind Shape, NamedColour Colour, double X, double Y, double Diameter)
{
    /// <summary>The square the world keeps clear around an object (as <see cref="LayoutPlanner.Scatter"/> does).</summary>
    public PixelBox Footprint => PixelBox.Around(X, Y, Diameter, Diameter);

    public Placement Placement => DetectedObject.PlacementOf(X, Y);

    public PlacedObject ToPlaced() => new(Id, Shape, Colour, LayoutPlanner.Tight(Shape, X, Y, Diameter));
}

/// <summary>Placing objects without overlap, and the rule for naming one unambiguously.</summary>
internal static class EditScene
{
    private const int Size = SceneSpec.ImageSize;
    private const int Tries = 100;

    /// <summary>Whether an object of diameter <paramref name="d"/> at (x, y) stays in frame and clear of <paramref name="others"/>.</summary>
    public static bool Fits(IEnumerable<SceneObject> others, double x, double y, double d)
    {
        var box = PixelBox.Around(x, y, d, d);
        var inFrame = box.X >= LayoutPlanner.Margin && box.Y >= LayoutPlanner.Margin
            && box.Right <= Size - LayoutPlanner.Margin && box.Bottom <= Size - LayoutPlanner.Margin;
        return inFrame && others.All(o => !o.Footprint.Overlaps(box, LayoutPlanner.Gap));
    }

    /// <summary>A uniformly drawn centre that keeps a diameter-<paramref name="d"/> object in frame.</summary>
    public static (double X, double Y) Anywhere(double d, DeterministicRandom rng)
    {
        var span = Size - d - 2 * LayoutPlanner.Margin;
        return (LayoutPlanner.Margin + d / 2 + span * rng.NextDouble(), LayoutPlanner.Margin + d / 2 + span * rng.NextDouble());
    }

    /// <summary>First drawn centre that fits and passes <paramref name="accept"/>, or null after a hundred tries.</summary>
    public static (double X, double Y)? Find(IReadOnlyList<SceneObject> others, double d, Func<(double X, double Y)> draw,
        Func<double, double, bool>? accept = null)
    {
        for (var i = 0; i < Tries; i++)
        {
            var (x, y) = draw();
            if (Fits(others, x, y, d) && (accept is null || accept(x, y))) return (x, y);
        }
        return null;
    }

    /// <summary>An object can be named when no other has both its shape and its colour.</summary>
    public static bool CanName(IReadOnlyList<PlacedObject> objects, PlacedObject target) =>
        !objects.Any(o => o != target && o.Shape == target.Shape && o.Colour == target.Colour);

    /// <summary>"the circle" is enough when it is the only circle; otherwise the colour must be said.</summary>
    public static bool NeedsColour(IReadOnlyList<PlacedObject> objects, PlacedObject target) =>
        objects.Any(o => o != target && o.Shape == target.Shape);
}
