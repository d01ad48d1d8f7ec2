using WebStudio.ShapesWorld;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;

namespace WebStudio.Trainer.Tests;

/// <summary>The placement probe's targets: each shape noun of a Position caption gets the direction its object goes,
/// a relation's two objects opposite ones, and captions that place nothing get no label.</summary>
public sealed class PlacementTargetsTests
{
    [Theory]
    [InlineData("a red star left of a blue ring", -1, 0, 1, 0)]
    [InlineData("a red star to the right of a blue ring", 1, 0, -1, 0)]
    [InlineData("there is one large yellow circle beneath a gray square on a white background", 0, 1, 0, -1)]
    [InlineData("a picture of a square over a ring with a black background", 0, -1, 0, 1)]
    public void A_relation_sends_its_two_objects_opposite_ways(string caption, float x0, float y0, float x1, float y1)
    {
        var directions = PlacementTargets.Directions(caption);
        Assert.NotNull(directions);
        Assert.Equal([(x0, y0), (x1, y1)], directions.Select(d => d!.Value));
    }

    [Theory]
    [InlineData("there is a star on the left with a navy background", -1, 0)]
    [InlineData("on black, a big red circle at the top", 0, -1)]
    [InlineData("a green ring in the middle", 0, 0)]
    public void A_placed_object_gets_its_placement(string caption, float x, float y) =>
        Assert.Equal([(x, y)], PlacementTargets.Directions(caption)!.Select(d => d!.Value));

    [Theory]
    [InlineData("two red circles")]
    [InlineData("a blue star and a green square")]
    [InlineData("the letter k in yellow on black")]
    [InlineData("a cat left of a dog")]
    public void Captions_that_place_nothing_have_no_label(string caption) =>
        Assert.Null(PlacementTargets.Directions(caption));

    [Fact]
    public void Targets_sit_on_the_shape_noun_tokens()
    {
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        string[] captions = ["a red star above a blue ring", "two red circles", "a square on the right"];
        var targets = PlacementTargets.Build(captions, tokenizer);

        Assert.Equal(2, targets.Labelled);
        Assert.Equal([3L, 77, 2], targets.Targets.shape);
        // Token 0 is BOS, so word i is token i + 1: "star" is token 3, "ring" token 7, "square" token 2.
        var mask = targets.Mask.data<float>().ToArray();
        Assert.Equal([3, 7, (2 * 77) + 2], Enumerable.Range(0, mask.Length).Where(i => mask[i] == 1));
        Assert.Equal(0f, targets.Targets[0, 3, 0].item<float>());
        Assert.Equal(-1f, targets.Targets[0, 3, 1].item<float>());
        Assert.Equal(1f, targets.Targets[0, 7, 1].item<float>());
        Assert.Equal(1f, targets.Targets[2, 2, 0].item<float>());
        Assert.Equal(0f, targets.Targets[1].abs().sum().item<float>());
    }
}
