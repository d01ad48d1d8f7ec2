using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Attention added at an earlier UNet level (for words, where a letter must meet its place in the prompt):
/// the copy draws exactly what the model it came from draws, its new transformers can learn, and `import` reads a
/// folder of the later-attention architecture into it.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EarlierAttentionTests(OnnxExportParityTests.TinyTrainedModel model) : IClassFixture<OnnxExportParityTests.TinyTrainedModel>
{
    private static readonly UNetConfig Later = ArchitectureConfig.Tiny.UNet with { FirstAttentionLevel = 1 };

    [Fact]
    public void Copy_predicts_what_the_source_predicts()
    {
        var source = RandomUNet(Later, seed: 3);
        var target = new UNetNet(ArchitectureConfig.Tiny.UNet);

        EarlierAttention.Copy(source, target);

        Assert.Equal((1, 2), (source.DownAttn.Count, target.DownAttn.Count));
        AssertSamePrediction(source, target);
    }

    [Fact]
    public void Copy_leaves_the_new_transformers_trainable()
    {
        var target = new UNetNet(ArchitectureConfig.Tiny.UNet);
        EarlierAttention.Copy(RandomUNet(Later, seed: 4), target);
        var added = target.DownAttn[0];
        Assert.Equal(0f, added.ProjectOut.weight!.abs().max().item<float>());
        Assert.NotEqual(0f, added.CrossAttention.Key.weight!.abs().max().item<float>());

        var (sample, timestep, context) = Inputs(5);
        target.forward(sample, timestep, context).square().mean().backward();

        Assert.True(added.ProjectOut.weight!.grad!.abs().max().item<float>() > 0, "the added transformer's output projection gets no gradient");
    }

    [Fact]
    public void Copy_refuses_to_move_attention_later_or_change_widths()
    {
        var early = new UNetNet(ArchitectureConfig.Tiny.UNet);
        var later = new UNetNet(Later);
        var wider = new UNetNet(ArchitectureConfig.Tiny.UNet with { Channels = [16, 48] });

        Assert.Contains("earlier levels", Assert.Throws<ArgumentException>(() => EarlierAttention.Copy(early, later)).Message);
        Assert.Throws<ArgumentException>(() => EarlierAttention.Copy(later, wider));
    }

    [Fact]
    public void Import_reads_a_later_attention_folder_into_earlier_attention()
    {
        var root = Directory.CreateTempSubdirectory("earlier-attention-");
        try
        {
            var folder = Path.Combine(root.FullName, "model");
            var stored = RandomUNet(Later, seed: 6);
            ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary).Write(Path.Combine(folder, "tokenizer"));
            new ModelFolderWriter(folder).Write(ArchitectureConfig.Tiny with { UNet = Later }, model.Encoder, model.Decoder, model.Text, stored, model.ScalingFactor);
            var config = ArchitectureConfig.Tiny;
            var unet = new UNetNet(config.UNet);

            ModelFolderImporter.Import(folder, new VaeEncoderNet(config.Vae), new VaeDecoderNet(config.Vae),
                new TextEncoderNet(config.Text(model.Tokenizer.VocabularySize, model.Tokenizer.EndId)), unet);

            AssertSamePrediction(stored, unet);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_words_architecture_attends_from_the_16_by_16_level()
    {
        var config = ArchitectureConfig.Named("full-attention16");

        Assert.Equal(0, config.UNet.FirstAttentionLevel);
        Assert.Equal(ArchitectureConfig.Full.UNet with { FirstAttentionLevel = 0 }, config.UNet);
        Assert.Equal(ArchitectureConfig.Full.Vae, config.Vae);
    }

    private static UNetNet RandomUNet(UNetConfig config, long seed)
    {
        var unet = new UNetNet(config);
        var random = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var p in unet.parameters())
        {
            p.add_(randn(p.shape, generator: random) * 0.05f);
        }

        return unet;
    }

    private static (Tensor Sample, Tensor Timestep, Tensor Context) Inputs(long seed)
    {
        var random = new Generator((ulong)seed);
        return (randn(2, 4, 16, 16, generator: random), tensor(new long[] { 20, 700 }),
            randn(2, 77, ArchitectureConfig.Tiny.UNet.ContextDim, generator: random));
    }

    private static void AssertSamePrediction(UNetNet expected, UNetNet actual)
    {
        using var _ = no_grad();
        var (sample, timestep, context) = Inputs(7);
        var want = expected.forward(sample, timestep, context);
        var got = actual.forward(sample, timestep, context);
        Assert.True(want.abs().max().item<float>() > 1e-3f, "the source predicts nothing, so the comparison proves nothing");
        Assert.True(want.allclose(got, rtol: 0, atol: 1e-5), $"max |Δ| {(want - got).abs().max().item<float>():G4}");
    }
}
