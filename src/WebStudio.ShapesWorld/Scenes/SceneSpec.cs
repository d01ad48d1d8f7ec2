namespace WebStudio.ShapesWorld;

/// <summary>
/// The structured meaning of a caption: what the prompt asks for (<see cref="Groups"/>,
/// <see cref="Relation"/>, a stated <see cref="Background"/>), and for generated samples the
/// <see cref="Layout"/> that was rendered. Prompts built by hand or parsed have no layout.
/// </summary>
public sealed record SceneSpec(
    Category Category,
    IReadOnlyList<ObjectGroup> Groups,
    NamedColour? Background = null,
    SpatialRelation? Relation = null,
    SceneLayout? Layout = null)
{
    public const int ImageSize = 128;

    /// <summary>Checks the spec is one the world can draw and the evaluator can score.</summary>
    public SceneSpec Validate()
    {
        if (Groups.Count is < 1 or > 4) throw new ArgumentException($"Groups: expected 1-4 object groups, got {Groups.Count}.");
        var total = 0;
        foreach (var group in Groups)
        {
            if (group.Count is < 1 or > 4) throw new ArgumentException($"Groups.Count: expected 1-4, got {group.Count}.");
            if (group.Shape == ShapeKind.Glyph && (group.Glyph is not { } g || !Rendering.GlyphFont.Supports(g)))
                throw new ArgumentException($"Groups.Glyph: a glyph group needs a letter A-Z or digit 0-9, got '{group.Glyph}'.");
            if (group.Shape == ShapeKind.Word && !WordList.IsWord(group.Text))
                throw new ArgumentException($"Groups.Text: a word group needs {WordList.MinLength}-{WordList.MaxLength} letters A-Z, got '{group.Text}'.");
            total += group.Count;
        }
        if (total > 4) throw new ArgumentException($"Groups: at most 4 objects in a scene, got {total}.");
        if (Relation is { } r && (r.Subject >= Groups.Count || r.Reference >= Groups.Count || r.Subject == r.Reference))
            throw new ArgumentException($"Relation: group indices {r.Subject}/{r.Reference} do not name two different groups.");
        return this;
    }

    // Records compare lists by reference; captions and tests want value semantics.
    public bool Equals(SceneSpec? other) =>
        other is not null && Category == other.Category && Groups.SequenceEqual(other.Groups)
        && Equals(Background, other.Background) && Equals(Relation, other.Relation)
        && (Layout is null ? other.Layout is null : other.Layout is not null
            && Layout.Background == other.Layout.Background && Layout.Objects.SequenceEqual(other.Layout.Objects));

    public override int GetHashCode() => HashCode.Combine(Category, Groups.Count, Background, Relation);
}
