namespace WebStudio.ShapesWorld;

/// <summary>What an object is. <see cref="Glyph"/> is a capital letter or digit from <see cref="Rendering.GlyphFont"/>;
/// <see cref="Word"/> is a short word of its letters, drawn as one glyph per letter.</summary>
public enum ShapeKind { Circle, Square, Triangle, Star, Ring, Glyph, Word }

/// <summary>Small objects are ~24-30 px across, large ones ~46-54 px (the evaluator splits at 38 px).</summary>
public enum SizeClass { Small, Large }

/// <summary>Where a single object sits in the frame.</summary>
public enum Placement { Centre, Left, Right, Top, Bottom }

/// <summary>How the first object of a pair sits relative to the second.</summary>
public enum RelationKind { Above, Below, LeftOf, RightOf }

/// <summary>Scene families, after GenEval's task split (plus letters/digits, and words of 2–4 letters).</summary>
public enum Category { SingleObject, TwoObjects, Counting, Colours, Position, ColourAttribution, Letters, Words }
