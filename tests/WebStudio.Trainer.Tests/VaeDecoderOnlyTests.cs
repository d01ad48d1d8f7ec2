using WebStudio.Trainer.Models;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Training the decoder alone leaves the encoder (and so the latents a UNet was trained on) exactly as it was.</summary>
public sealed class VaeDecoderOnlyTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("vae-decoder-only-");

    public void Dispose() => _cache.Delete(recursive: true);

    [Fact]
    public void Only_the_decoder_changes()
    {
        set_num_threads(2);
        var config = ArchitectureConfig.Tiny.Vae;
        var (encoder, decoder) = new VaeTrainer(config, _cache.FullName, seed: 3).Train(TimeSpan.FromMinutes(5), maxSteps: 1, resume: false);
        var encoderBefore = Snapshot(encoder);
        var decoderBefore = Snapshot(decoder);

        var (encoderAfter, decoderAfter) = new VaeTrainer(config, _cache.FullName, seed: 3)
            .Train(TimeSpan.FromMinutes(5), maxSteps: 2, resume: false, decoderOnly: true);

        Assert.Equal(encoderBefore, Snapshot(encoderAfter));
        Assert.NotEqual(decoderBefore, Snapshot(decoderAfter));
        // The checkpoints it saved hold the same encoder.
        var saved = new VaeEncoderNet(config);
        Checkpoint.Load(_cache.FullName, ModelParts.VaeEncoder, saved);
        Assert.Equal(encoderBefore, Snapshot(saved));
    }

    private static float[] Snapshot(nn.Module module) =>
        module.parameters().SelectMany(p => p.detach().contiguous().data<float>().ToArray()).ToArray();
}
