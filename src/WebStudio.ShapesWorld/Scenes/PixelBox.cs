namespace WebStudio.ShapesWorld;

/// <summary>An axis-aligned box in pixel units (X, Y is the top-left corner).</summary>
public readonly record struct PixelBox(double X, double Y, double Width, double Height)
{
    public double CentreX => X + Width / 2;
    public double CentreY => Y + Height / 2;
    public double Right => X + Width;
    public double Bottom => Y + Height;

    public static PixelBox Around(double centreX, double centreY, double width, double height) =>
        new(centreX - width / 2, centreY - height / 2, width, height);

    /// <summary>True when the boxes, each grown by <paramref name="gap"/>/2, intersect.</summary>
    public bool Overlaps(PixelBox other, double gap) =>
        X - gap < other.Right && other.X - gap < Right && Y - gap < other.Bottom && other.Y - gap < Bottom;
}
