namespace WebStudio.ShapesWorld;

/// <summary>A palette entry: the word used in captions and its exact sRGB value.</summary>
public sealed record NamedColour(string Name, byte R, byte G, byte B)
{
    public int DistanceSquared(byte r, byte g, byte b)
    {
        int dr = R - r, dg = G - g, db = B - b;
        return dr * dr + dg * dg + db * db;
    }

    public int DistanceSquared(NamedColour other) => DistanceSquared(other.R, other.G, other.B);

    public override string ToString() => Name;
}
