using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>A UNet run with a probe on the text states on (placement, with the layout weight; spelling) trains,
/// checkpoints, and moves the text encoder (the probe's gradient reaches it).</summary>
public sealed class ProbeTrainingTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("probe-training-");

    public void Dispose() => _cache.Delete(recursive: true);

    [Fact]
    public void Training_with_the_placement_probe_and_the_layout_weight_runs_and_saves() =>
        AssertTrainsAndSaves(["a red star left of a blue ring", "a square above a circle", "a green ring on the right", "two red circles"],
            placementAux: 0.1, layoutWeight: 5, spellingAux: 0);

    [Fact]
    [Trait("Capability", "InstructEdit")]
    public void Training_with_the_spelling_probe_runs_and_saves() =>
        AssertTrainsAndSaves(["the word cat in red on white", "open in yellow", "a blue star above the word hi", "two red circles"],
            placementAux: 0, layoutWeight: 1, spellingAux: 0.1);

    private void AssertTrainsAndSaves(string[] captions, double placementAux, double layoutWeight, double spellingAux)
    {
        set_num_threads(2);
        manual_seed(3);
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        var data = new LatentDataset(randn(captions.Length, 4, 16, 16), captions, 1f);
        var trainer = new UNetTrainer(ArchitectureConfig.Tiny, tokenizer, _cache.FullName, seed: 3);
        var before = trainer.CreateNets().Text;

        var nets = trainer.Train(data, batchSize: 4, TimeSpan.FromMinutes(5), maxSteps: 3, resume: false,
            placementAux: placementAux, layoutWeight: layoutWeight, spellingAux: spellingAux);

        var state = Checkpoint.ReadState<UNetTrainer.State>(_cache.FullName, UNetTrainer.StateFile);
        Assert.Equal(3, state!.Step);
        Assert.True(double.IsFinite(state.Loss));
        Assert.Contains(nets.Text.parameters().Zip(before.parameters()), p => !p.First.allclose(p.Second));
    }
}
