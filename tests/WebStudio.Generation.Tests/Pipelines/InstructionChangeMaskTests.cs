using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>The automatic mask of instruction edits, from the instruction's term of the three-way prediction.</summary>
[Trait("Capability", "InstructEdit")]
public class InstructionChangeMaskTests
{
    // A [3 chunks, B=1, C=2, 4, 4] prediction whose text chunk differs from its image chunk by the given change per cell.
    private static float[] Prediction(float[] change)
    {
        var chunk = 2 * change.Length;
        var prediction = new float[3 * chunk];
        for (var c = 0; c < 2; c++)
        {
            for (var i = 0; i < change.Length; i++)
            {
                prediction[(c * change.Length) + i] = 0.5f + change[i]; // text
                prediction[chunk + (c * change.Length) + i] = 0.5f;     // image
            }
        }

        return prediction;
    }

    [Fact]
    public void The_mask_holds_the_cells_the_instruction_changes_most_grown_by_one_cell()
    {
        var change = new float[16];
        change[0] = 1f;   // (0,0): the strongest
        change[15] = 0.5f; // (3,3): half as strong
        change[5] = 0.1f; // (1,1): under a 0.3 threshold, but next to (0,0)
        var mask = new InstructionChangeMask(4, 4, stepsToWatch: 2, threshold: 0.3f);

        mask.Watch(Prediction(change), 32);
        Assert.False(mask.Complete);
        mask.Watch(Prediction(change), 32);
        Assert.True(mask.Complete);

        var expected = new float[]
        {
            1, 1, 0, 0,
            1, 1, 0, 0,
            0, 0, 1, 1,
            0, 0, 1, 1,
        };
        Assert.Equal(expected, mask.Mask());

        var strict = new InstructionChangeMask(4, 4, stepsToWatch: 1, threshold: 0.6f);
        strict.Watch(Prediction(change), 32);
        Assert.Equal(new float[] { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, strict.Mask());
    }

    [Fact]
    public void An_instruction_that_moves_nothing_gives_no_mask()
    {
        var mask = new InstructionChangeMask(4, 4, stepsToWatch: 1, threshold: 0.3f);
        mask.Watch(Prediction(new float[16]), 32);
        Assert.Null(mask.Mask());
    }

    [Theory]
    [InlineData(20, 5)]
    [InlineData(4, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 1)]
    [InlineData(40, 10)]
    public void The_first_quarter_of_the_steps_is_watched(int steps, int watched) =>
        Assert.Equal(watched, InstructionChangeMask.StepsToWatch(steps));
}
