namespace WebStudio.ShapesWorld;

/// <summary>
/// The fixed colours of the world. Object colours are at least ~90 apart in RGB so nearest-colour
/// segmentation stays robust on blurry model outputs; a background never hosts an object colour
/// closer than <see cref="MinBackgroundSeparation"/>.
/// </summary>
public static class Palette
{
    public static readonly NamedColour Red = new("red", 220, 30, 30);
    public static readonly NamedColour Orange = new("orange", 255, 140, 0);
    public static readonly NamedColour Yellow = new("yellow", 250, 225, 30);
    public static readonly NamedColour Green = new("green", 40, 170, 60);
    public static readonly NamedColour Blue = new("blue", 40, 90, 230);
    public static readonly NamedColour Purple = new("purple", 140, 60, 200);
    public static readonly NamedColour Pink = new("pink", 250, 140, 200);
    public static readonly NamedColour Brown = new("brown", 130, 80, 35);
    public static readonly NamedColour White = new("white", 245, 245, 245);
    public static readonly NamedColour Gray = new("gray", 128, 128, 128);
    public static readonly NamedColour Black = new("black", 0, 0, 0);
    public static readonly NamedColour Navy = new("navy", 20, 30, 90);
    public static readonly NamedColour Beige = new("beige", 230, 215, 170);

    /// <summary>Minimum RGB distance between a background and any object drawn on it.</summary>
    public const int MinBackgroundSeparation = 90;

    public static IReadOnlyList<NamedColour> ObjectColours { get; } =
        [Red, Orange, Yellow, Green, Blue, Purple, Pink, Brown, White, Gray];

    public static IReadOnlyList<NamedColour> BackgroundColours { get; } = [Black, White, Gray, Navy, Beige];

    /// <summary>Every distinct named colour (objects first, then background-only ones).</summary>
    public static IReadOnlyList<NamedColour> All { get; } = [.. ObjectColours, Black, Navy, Beige];

    /// <summary>Object colours that may be drawn on <paramref name="background"/>.</summary>
    public static IReadOnlyList<NamedColour> ObjectColoursOn(NamedColour background) =>
        ObjectColours.Where(c => c.DistanceSquared(background) >= MinBackgroundSeparation * MinBackgroundSeparation).ToArray();

    /// <summary>Looks a colour up by its caption word ("grey" is accepted for gray).</summary>
    public static NamedColour ByName(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        if (key == "grey") key = "gray";
        return All.FirstOrDefault(c => c.Name == key)
            ?? throw new ArgumentException($"Unknown colour '{name}'. Known: {string.Join(", ", All.Select(c => c.Name))}.", nameof(name));
    }

    public static bool TryByName(string name, out NamedColour colour)
    {
        var key = name == "grey" ? "gray" : name;
        colour = All.FirstOrDefault(c => c.Name == key)!;
        return colour is not null;
    }
}
