using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.ShapesWorld.Tests;

public class PromptParserTests
{
    [Fact]
    public void Parses_the_examples_of_the_brief()
    {
        var relation = PromptParser.Parse("a red circle above a blue square");
        Assert.Equal(Category.Position, relation.Category);
        Assert.Equal([new ObjectGroup(ShapeKind.Circle, Palette.Red), new ObjectGroup(ShapeKind.Square, Palette.Blue)], relation.Groups);
        Assert.Equal(new SpatialRelation(0, RelationKind.Above, 1), relation.Relation);
        Assert.Null(relation.Background);

        var counting = PromptParser.Parse("three green stars");
        Assert.Equal(Category.Counting, counting.Category);
        Assert.Equal(new ObjectGroup(ShapeKind.Star, Palette.Green, null, 3), counting.Groups.Single());

        var letter = PromptParser.Parse("the letter K in yellow on black");
        Assert.Equal(Category.Letters, letter.Category);
        Assert.Equal(ObjectGroup.ForGlyph('K', Palette.Yellow), letter.Groups.Single());
        Assert.Equal(Palette.Black, letter.Background);

        Assert.Equal(ObjectGroup.ForGlyph('7', Palette.Red), PromptParser.Parse("a red 7").Groups.Single());

        var placed = PromptParser.Parse("on black, a big red circle in the centre");
        Assert.Equal(new ObjectGroup(ShapeKind.Circle, Palette.Red, SizeClass.Large, 1, Placement.Centre), placed.Groups.Single());
        Assert.Equal(Palette.Black, placed.Background);

        var gray = PromptParser.Parse("a grey ring to the left of a small square, gray background");
        Assert.Equal(new SpatialRelation(0, RelationKind.LeftOf, 1), gray.Relation);
        Assert.Equal(Palette.Gray, gray.Groups[0].Colour);
        Assert.Equal(Palette.Gray, gray.Background);
    }

    [Fact]
    public void Prompt_without_objects_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => PromptParser.Parse("a lovely sunset"));
        Assert.Equal("prompt", error.ParamName);
    }

    [Fact]
    public void Every_generated_caption_parses_back_to_its_spec()
    {
        var generator = new SceneGenerator(77);
        for (var index = 0; index < 2000; index++)
        {
            var plan = generator.Plan(index);
            var parsed = PromptParser.Parse(plan.Caption);
            Assert.True(Canonical(plan.Spec) == Canonical(parsed), $"'{plan.Caption}'\n expected {Canonical(plan.Spec)}\n parsed   {Canonical(parsed)}");
        }
    }

    /// <summary>The spec's meaning as text, with relations turned to above/left-of so either wording compares equal.</summary>
    internal static string Canonical(SceneSpec spec)
    {
        var background = spec.Background?.Name ?? "any";
        if (spec.Relation is not { } r) return $"{background}: {string.Join(" + ", spec.Groups)}";
        var (subject, kind, reference) = r.Kind switch
        {
            RelationKind.Below => (r.Reference, RelationKind.Above, r.Subject),
            RelationKind.RightOf => (r.Reference, RelationKind.LeftOf, r.Subject),
            _ => (r.Subject, r.Kind, r.Reference),
        };
        return $"{background}: {spec.Groups[subject]} {kind} {spec.Groups[reference]}";
    }
}
