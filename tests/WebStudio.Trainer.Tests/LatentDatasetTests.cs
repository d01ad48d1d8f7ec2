using WebStudio.ShapesWorld;
using WebStudio.Trainer.Data;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Category weights rest on each stored scene's category, which the dataset finds again by replaying the
/// scene stream; latents from another stream are refused rather than mislabelled.</summary>
public sealed class LatentDatasetTests
{
    [Fact]
    public void Categories_follow_the_scene_stream()
    {
        var generator = new SceneGenerator(seed: 9, SceneBatches.TrainingMix);
        var plans = Enumerable.Range(0, 40).Select(i => generator.Plan(i)).ToArray();
        var data = new LatentDataset(zeros(40, 4, 16, 16), plans.Select(p => p.Caption).ToArray(), 1f);

        var categories = data.Categories(seed: 9);

        Assert.Equal(plans.Select(p => p.Category), categories);
        Assert.True(categories.Distinct().Count() >= 5, "forty scenes of the training mix cover most categories");
    }

    [Fact]
    public void Latents_of_another_stream_are_refused()
    {
        var generator = new SceneGenerator(seed: 9, SceneBatches.TrainingMix);
        var captions = Enumerable.Range(0, 10).Select(i => generator.Plan(i).Caption).ToArray();
        var data = new LatentDataset(zeros(10, 4, 16, 16), captions, 1f);

        var error = Assert.Throws<InvalidDataException>(() => data.Categories(seed: 10));
        Assert.Contains("another stream", error.Message);
    }
}
