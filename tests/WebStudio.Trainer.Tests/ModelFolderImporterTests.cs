using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Reading an exported folder back gives exactly the exported modules' weights, through the export's
/// transposes and channel permutations, and a folder of another architecture is refused.</summary>
public sealed class ModelFolderImporterTests(OnnxExportParityTests.TinyTrainedModel model) : IClassFixture<OnnxExportParityTests.TinyTrainedModel>
{
    [Fact]
    public void Import_gives_back_every_exported_weight()
    {
        var config = ArchitectureConfig.Tiny;
        var encoder = new VaeEncoderNet(config.Vae);
        var decoder = new VaeDecoderNet(config.Vae);
        var text = new TextEncoderNet(config.Text(model.Tokenizer.VocabularySize, model.Tokenizer.EndId));
        var unet = new UNetNet(config.UNet);

        ModelFolderImporter.Import(model.Folder, encoder, decoder, text, unet);

        AssertSameWeights(model.Encoder, encoder);
        AssertSameWeights(model.Decoder, decoder);
        AssertSameWeights(model.Text, text);
        AssertSameWeights(model.UNet, unet);
    }

    [Fact]
    public void Import_refuses_a_folder_of_another_architecture()
    {
        var other = ArchitectureConfig.Full;
        var unet = new UNetNet(other.UNet);
        var error = Assert.Throws<InvalidDataException>(() =>
            ModelFolderImporter.Load(Path.Combine(model.Folder, "unet", "model.onnx"), unet, () => UNetGraph.Build(unet)));
        Assert.Contains("another architecture", error.Message);
    }

    [Fact]
    public void Import_names_a_missing_model_file()
    {
        var text = new TextEncoderNet(ArchitectureConfig.Tiny.Text(model.Tokenizer.VocabularySize, model.Tokenizer.EndId));
        var missing = Path.Combine(model.Folder, "no_such_part", "model.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolderImporter.Load(missing, text, () => TextEncoderGraph.Build(text)));
        Assert.Contains(missing, error.Message);
    }

    internal static void AssertSameWeights(nn.Module expected, nn.Module actual)
    {
        var want = expected.named_parameters().ToList();
        var got = actual.named_parameters().ToList();
        Assert.Equal(want.Select(p => p.name), got.Select(p => p.name));
        foreach (var ((name, w), (_, g)) in want.Zip(got))
        {
            Assert.True(w.eq(g).all().item<bool>(), $"{name} differs after the round trip (max |Δ| {(w - g).abs().max().item<float>():G4})");
        }
    }
}
