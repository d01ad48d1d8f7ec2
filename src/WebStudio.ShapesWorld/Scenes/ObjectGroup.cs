namespace WebStudio.ShapesWorld;

/// <summary>
/// One thing a prompt asks for: <see cref="Count"/> objects of a shape (or one glyph, or one word: its
/// <see cref="Text"/> in capitals). A null
/// <see cref="Colour"/>, <see cref="Size"/> or <see cref="Placement"/> means the prompt leaves it open.
/// </summary>
public sealed record ObjectGroup(
    ShapeKind Shape,
    NamedColour? Colour = null,
    SizeClass? Size = null,
    int Count = 1,
    Placement? Placement = null,
    char? Glyph = null,
    string? Text = null)
{
    public static ObjectGroup ForGlyph(char glyph, NamedColour? colour = null) =>
        new(ShapeKind.Glyph, colour, null, 1, null, char.ToUpperInvariant(glyph));

    public static ObjectGroup ForWord(string text, NamedColour? colour = null) =>
        new(ShapeKind.Word, colour, Text: text.ToUpperInvariant());

    /// <summary>Short human label, e.g. "3 red star", "glyph K", "word CAT".</summary>
    public string Describe()
    {
        var what = Shape switch
        {
            ShapeKind.Glyph => $"glyph {Glyph}",
            ShapeKind.Word => $"word {Text}",
            _ => Shape.ToString().ToLowerInvariant(),
        };
        var colour = Colour is null ? "" : Colour.Name + " ";
        var size = Size is null ? "" : Size.Value.ToString().ToLowerInvariant() + " ";
        return $"{Count} {size}{colour}{what}";
    }
}

/// <summary>"Group <see cref="Subject"/> is <see cref="Kind"/> group <see cref="Reference"/>".</summary>
public sealed record SpatialRelation(int Subject, RelationKind Kind, int Reference);

/// <summary>A drawn object with its exact box: ground truth from the generator.</summary>
public sealed record PlacedObject(int Group, ShapeKind Shape, NamedColour Colour, PixelBox Box, char? Glyph = null);

/// <summary>The concrete picture behind a spec: background and every object's place.</summary>
public sealed record SceneLayout(NamedColour Background, IReadOnlyList<PlacedObject> Objects);
