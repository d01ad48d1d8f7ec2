using SixLabors.ImageSharp;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Evaluation;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Evaluation;
using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The instruction-edit leg on the tiny configuration: the 8-channel UNet starts as the base one, a few
/// steps train on a handful of encoded triples and resume, and the exported folder runs as an edit model.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EditTrainingTests : IDisposable
{
    private static readonly ArchitectureConfig Config = ArchitectureConfig.Tiny;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("trainer-edit-");
    private readonly ShapesTokenizerFiles _files = ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary);

    public EditTrainingTests() => set_num_threads(2);

    public void Dispose() => _root.Delete(recursive: true);

    private string Cache => Path.Combine(_root.FullName, "cache");

    [Fact]
    public void The_edit_UNet_starts_with_zero_image_weights_and_predicts_what_the_base_UNet_does()
    {
        manual_seed(3);
        var (_, unet) = BaseNets();
        var edit = new UNetNet(Config.ForEditing().UNet);
        EditTrainer.Widen(unet, edit);
        using var _ = no_grad();
        Assert.Equal([16L, 8, 3, 3], edit.ConvIn.weight!.shape);
        Assert.Equal(0f, edit.ConvIn.weight!.narrow(1, 4, 4).abs().max().item<float>());

        var noisy = randn(2, 4, 16, 16);
        var t = tensor(new long[] { 50, 700 });
        var context = randn(2, 77, Config.UNet.ContextDim);
        var expected = unet.forward(noisy, t, context);
        Assert.True(expected.abs().max().item<float>() > 1e-3f, "the base UNet's output is all zeros, so the comparison proves nothing");
        foreach (var image in new[] { randn(2, 4, 16, 16) * 3, zeros(2, 4, 16, 16) })
        {
            var actual = edit.forward(cat([noisy, image], 1), t, context);
            Assert.Equal(0f, (actual - expected).abs().max().item<float>(), 5);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Each_sample_keeps_or_drops_its_instruction_and_image_as_the_split_says(double identity)
    {
        var first = identity > 0 ? identity : EditTrainer.DropoutEach;
        var each = EditTrainer.DropoutEach;
        // One draw in each span: no instruction, neither, no image, both kept.
        var r = tensor(new[] { (float)first / 2, (float)(first + (each / 2)), (float)(first + (1.5 * each)), 0.9f });
        var image = arange(4 * 4 * 2 * 2, dtype: ScalarType.Float32).reshape(4, 4, 2, 2);
        var output = -image - 1;

        var (dropText, keepImage, target) = EditTrainer.Conditioning(r, image, output, scaling: 2f, identity);

        Assert.Equal([true, true, false, false], dropText.squeeze(1).data<bool>().ToArray());
        Assert.Equal([1f, 0f, 0f, 1f], keepImage.flatten().data<float>().ToArray());
        // The first span's target is the input scene at the outputs' scale where an identity share is asked for.
        Assert.Equal(Values(identity > 0 ? image[0] * 2 : output[0]), Values(target[0]));
        Assert.Equal(Values(output[1..]), Values(target[1..]));
    }

    [Fact]
    public void A_few_steps_on_a_handful_of_triples_train_and_resume()
    {
        var data = EncodedTriples(6);
        Assert.Equal(new long[] { 6, 4, 16, 16 }, data.Inputs.shape);
        data.Save(Cache);
        var loaded = EditLatentDataset.Load(Cache);
        Assert.Equal(data.Instructions, loaded.Instructions);
        Assert.Equal(data.Kinds, loaded.Kinds);
        Assert.True(loaded.Outputs.allclose(data.Outputs));

        var trainer = new EditTrainer(Config, new ShapesTokenizer(_files), Cache, seed: 5);
        trainer.Train(loaded, BaseNets, batchSize: 4, TimeSpan.FromMinutes(5), maxSteps: 2, resume: false, TimeSpan.Zero, 1e-3);
        Assert.Equal(2, Checkpoint.ReadState<UNetTrainer.State>(Cache, EditTrainer.StateFile)!.Step);
        var nets = trainer.Train(loaded, () => throw new InvalidOperationException("a resumed run must not start again from the base model"),
            batchSize: 4, TimeSpan.FromMinutes(5), maxSteps: 1, resume: true, TimeSpan.Zero, 1e-3);
        var state = Checkpoint.ReadState<UNetTrainer.State>(Cache, EditTrainer.StateFile)!;
        Assert.Equal(3, state.Step);
        Assert.True(double.IsFinite(state.Loss) && state.Loss > 0);
        // Three steps at a high rate move the image channels off zero: the UNet now reads the input image.
        Assert.True(nets.UNet.ConvIn.weight!.narrow(1, 4, 4).abs().max().item<float>() > 0);
    }

    [Fact]
    public void A_missing_edit_cache_names_the_stage_that_writes_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => EditLatentDataset.Load(Cache));
        Assert.Contains("encode-edit", error.Message);
    }

    [Fact]
    public void The_exported_folder_loads_as_an_instruction_edit_model_and_edits()
    {
        var (folder, _, _) = ExportedEditFolder();
        // The card gives the studio the image guidance to run the model at (ModelGenerationDefaults.ImageGuidance).
        using (var card = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "card.json"))))
        {
            Assert.Equal(EditModelCard.ImageGuidance, card.RootElement.GetProperty("defaults").GetProperty("imageGuidance").GetSingle());
            Assert.Contains("make the circle blue", card.RootElement.GetProperty("examples").EnumerateArray().Select(e => e.GetString()));
        }

        using var model = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, IntraOpThreads = 2 });
        Assert.True(model.EditsByInstruction);
        var pipeline = new StableDiffusionPipeline(model);
        var editCase = EditSuite.Small(7).Cases[0];
        using var first = EditFolderEvaluation.Edit(pipeline, editCase, "DDIM", steps: 2);
        using var again = EditFolderEvaluation.Edit(pipeline, editCase, "DDIM", steps: 2);
        Assert.Equal((128, 128), (first.Width, first.Height));
        Assert.True(Pixels(first).SequenceEqual(Pixels(again)), "the same case and seed must give the same edit");
    }

    [Fact]
    public void An_exported_edit_folder_reads_back_into_checkpoints_that_training_resumes_from()
    {
        var (folder, text, edit) = ExportedEditFolder();
        var trainer = new EditTrainer(Config, new ShapesTokenizer(_files), Cache, seed: 5);

        trainer.Import(folder);

        var nets = trainer.CreateNets();
        EditTrainer.LoadInto(nets, Cache);
        foreach (var (expected, actual) in new (nn.Module, nn.Module)[] { (text, nets.Text), (text, nets.TextEma), (edit, nets.UNet), (edit, nets.UNetEma) })
        {
            ModelFolderImporterTests.AssertSameWeights(expected, actual);
        }

        Assert.Equal(0, Checkpoint.ReadState<UNetTrainer.State>(Cache, EditTrainer.StateFile)!.Step);
        EncodedTriples(4).Save(Cache);
        trainer.Train(EditLatentDataset.Load(Cache), () => throw new InvalidOperationException("an imported model must be resumed, not started again from the base"),
            batchSize: 4, TimeSpan.FromMinutes(5), maxSteps: 1, resume: true, TimeSpan.Zero, 1e-3);
        Assert.Equal(1, Checkpoint.ReadState<UNetTrainer.State>(Cache, EditTrainer.StateFile)!.Step);
    }

    /// <summary>An InstructPix2Pix folder written from a tiny base whose image channels are nudged off zero, with the
    /// text encoder and edit UNet it was written from.</summary>
    private (string Folder, TextEncoderNet Text, UNetNet Edit) ExportedEditFolder()
    {
        manual_seed(4);
        var encoder = new VaeEncoderNet(Config.Vae);
        var decoder = new VaeDecoderNet(Config.Vae);
        var (text, unet) = BaseNets();
        var edit = new UNetNet(Config.ForEditing().UNet);
        EditTrainer.Widen(unet, edit);
        using (no_grad())
        {
            edit.ConvIn.weight!.narrow(1, 4, 4).normal_(0, 0.05);
        }

        var folder = Path.Combine(_root.FullName, "edit");
        _files.Write(Path.Combine(folder, "tokenizer"));
        new ModelFolderWriter(folder).Write(Config.ForEditing(), encoder, decoder, text, edit, 1.5f, ModelFolderWriter.InstructPix2PixPipeline);
        EditModelCard.Write(folder);
        return (folder, text, edit);
    }

    private (TextEncoderNet Text, UNetNet UNet) BaseNets() => BaseNets(new ShapesTokenizer(_files));

    /// <summary>A tiny base text encoder and UNet, the UNet's output nudged off zero.</summary>
    internal static (TextEncoderNet Text, UNetNet UNet) BaseNets(ShapesTokenizer tokenizer)
    {
        var text = new TextEncoderNet(Config.Text(tokenizer.VocabularySize, tokenizer.EndId));
        var unet = new UNetNet(Config.UNet);
        using var _ = no_grad();
        // ConvOut starts at zero; a nudge makes the base UNet's output say something.
        unet.ConvOut.weight!.normal_(0, 0.1);
        return (text, unet);
    }

    private static EditLatentDataset EncodedTriples(int count)
    {
        manual_seed(2);
        return EditLatentDataset.Encode(new VaeEncoderNet(Config.Vae), seed: 9, count, scalingFactor: 1.5f);
    }

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    private static byte[] Pixels(Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
