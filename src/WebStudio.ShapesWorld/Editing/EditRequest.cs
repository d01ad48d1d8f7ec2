namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// What an instruction asks, in structured form; indices point into the input layout's objects. Only the fields
/// of the request's <see cref="Kind"/> are set:
/// Recolour (<see cref="Target"/>, <see cref="Colour"/>), Add (<see cref="Shape"/>, <see cref="Colour"/>, optional
/// <see cref="Size"/>, and either <see cref="Placement"/> or <see cref="Relation"/> to <see cref="Reference"/>),
/// Remove (<see cref="Target"/>), Move (<see cref="Target"/>, <see cref="Placement"/>), Background
/// (<see cref="Background"/>), Count (<see cref="Shape"/>, <see cref="Count"/>), Replace (<see cref="Target"/>,
/// <see cref="Shape"/>).
/// </summary>
public sealed record EditRequest(
    EditKind Kind,
    int? Target = null,
    NamedColour? Colour = null,
    ShapeKind? Shape = null,
    SizeClass? Size = null,
    Placement? Placement = null,
    RelationKind? Relation = null,
    int? Reference = null,
    int? Count = null,
    NamedColour? Background = null);
