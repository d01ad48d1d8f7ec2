using WebStudio.Trainer.Models;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Checkpoints round-trip exactly, and one written for another network is refused by name.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_saved_module_loads_back_with_the_same_weights()
    {
        var config = ArchitectureConfig.Tiny;
        var saved = new UNetNet(config.UNet);
        Checkpoint.Save(_folder.Path, new Dictionary<string, nn.Module> { ["unet"] = saved }, new { Step = 3 }, "state.json");

        var loaded = new UNetNet(config.UNet);
        Checkpoint.Load(_folder.Path, "unet", loaded);

        foreach (var ((name, a), (_, b)) in saved.named_parameters().Zip(loaded.named_parameters()))
        {
            Assert.True(a.eq(b).all().item<bool>(), $"{name} differs after loading");
        }

        Assert.False(File.Exists(Path.Combine(_folder.Path, "unet.dat.tmp")));
        Assert.Contains("\"Step\":3", File.ReadAllText(Path.Combine(_folder.Path, "state.json")));
    }

    [Fact]
    public void A_checkpoint_of_another_network_is_refused()
    {
        var vae = new VaeDecoderNet(ArchitectureConfig.Tiny.Vae);
        Checkpoint.Save(_folder.Path, new Dictionary<string, nn.Module> { ["unet"] = vae }, new { Step = 1 }, "state.json");

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_folder.Path, "unet", new UNetNet(ArchitectureConfig.Tiny.UNet)));
        Assert.Contains("does not match the network", error.Message);
        Assert.Contains("another architecture", error.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_size_is_refused()
    {
        Checkpoint.Save(_folder.Path, new Dictionary<string, nn.Module> { ["unet"] = new UNetNet(ArchitectureConfig.Tiny.UNet) }, new { Step = 1 }, "state.json");

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_folder.Path, "unet", new UNetNet(ArchitectureConfig.Full.UNet)));
        Assert.Contains("another architecture", error.Message);
    }

    [Fact]
    public void A_missing_checkpoint_says_which_stage_writes_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(_folder.Path, "unet", new UNetNet(ArchitectureConfig.Tiny.UNet)));
        Assert.Contains("run the training stage", error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
