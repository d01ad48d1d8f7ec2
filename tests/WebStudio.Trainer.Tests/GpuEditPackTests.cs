using System.Text.Json;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Editing;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The pack for an edit leg on a GPU: the triples' input and output latents (the input at the output's scale,
/// with the factor back beside it), the instructions' token ids, the edit kinds, and the edit checkpoints, which
/// before any edit training are the base model widened as train-edit starts.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class GpuEditPackTests : IDisposable
{
    private const long Seed = 9;
    private const float Scaling = 0.5f;
    private static readonly ArchitectureConfig Config = ArchitectureConfig.Tiny;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gpu-edit-pack-");
    private readonly ShapesTokenizer _tokenizer = new(ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary));

    public GpuEditPackTests() => set_num_threads(2);

    public void Dispose() => _root.Delete(recursive: true);

    private string Cache => Path.Combine(_root.FullName, "cache");

    private string Pack => Path.Combine(_root.FullName, "pack");

    [Fact]
    public void Before_edit_training_the_pack_holds_the_triples_and_the_widened_base_model()
    {
        var data = Triples();
        var (text, unet) = BaseNets();

        GpuEditPack.Write(Cache, Pack, Config, _tokenizer, Seed, () => (text, unet));

        var info = ReadInfo();
        Assert.Equal((6, 0L, UNetTrainer.WarmupSteps), (info.Count, info.Step, info.WarmupSteps));
        Assert.Equal(("edit_", EditTrainer.StateFile), (info.CheckpointPrefix, info.StateFile));
        Assert.Equal(new GpuEditPack.EditInfo(EditTrainer.DropoutEach, EditTrainer.ConvInRateScale, EditTrainer.TextRateScale, 1 / Scaling), info.Edit);
        Assert.Equal(Config.UNet.InChannels, info.UNet.ConditionChannels);
        Assert.Equal(new long[] { 6, 2, 4, 16, 16 }, info.LatentShape);
        Assert.Equal(data.Kinds.Select(k => k.ToString()), File.ReadAllBytes(Path.Combine(Pack, "categories.u8")).Select(b => info.Categories[b]));
        Assert.Equal(Enum.GetNames<EditKind>(), info.Categories);

        // Each half of a pair comes back within half a step of its own scale.
        var restored = tensor(GpuPackTests.RestoredLatents(Pack, info)).reshape(6, 2, 4, 16, 16);
        var inputError = (restored[.., 0] * info.Edit!.InputScale - data.Inputs).abs().max().item<float>();
        var outputError = (restored[.., 1] - data.Outputs).abs().max().item<float>();
        Assert.True(inputError <= (info.LatentStep / 2 / Scaling) + 1e-5f, $"input latents off by {inputError}");
        Assert.True(outputError <= (info.LatentStep / 2) + 1e-5f, $"output latents off by {outputError}");

        var ids = GpuPackTests.Decompress(Path.Combine(Pack, "ids.u16.gz"));
        var expected = data.Instructions.SelectMany(_tokenizer.Encode).ToArray();
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(i => (int)BitConverter.ToUInt16(ids, i * 2)));

        // The packed UNet is the widened base: the reference it predicts is the base UNet's on the latents' channels.
        var packed = new UNetNet(Config.ForEditing().UNet);
        Checkpoint.Load(Pack, "edit_unet_ema", packed);
        using var _ = no_grad();
        Assert.Equal(0f, packed.ConvIn.weight!.narrow(1, 4, 4).abs().max().item<float>());
        var sample = ReadFloats("reference_sample.f32", info.Reference.SampleShape);
        var context = text.forward(tensor(info.Reference.Ids.SelectMany(r => r).Select(i => (long)i).ToArray(), [2, ShapesTokenizer.MaxLength]));
        var baseEps = unet.forward(sample.narrow(1, 0, 4), tensor(info.Reference.Timesteps), context);
        Assert.True(baseEps.abs().max().item<float>() > 1e-3f, "the base UNet's output is all zeros, so the comparison proves nothing");
        Assert.Equal(0f, (ReadFloats("reference_eps.f32", [2, 4, 16, 16]) - baseEps).abs().max().item<float>(), 5);
        var packedText = new TextEncoderNet(Config.Text(_tokenizer.VocabularySize, _tokenizer.EndId));
        Checkpoint.Load(Pack, "edit_text_encoder_ema", packedText);
        Assert.Equal(0f, (packedText.forward(tensor(info.Reference.Ids[0].Select(i => (long)i).ToArray(), [1, ShapesTokenizer.MaxLength])) - context.narrow(0, 0, 1))
            .abs().max().item<float>());
    }

    [Fact]
    public void After_edit_training_the_pack_holds_the_edit_checkpoints_and_their_step()
    {
        var data = Triples();
        var (text, unet) = BaseNets();
        new EditTrainer(Config, _tokenizer, Cache, Seed).Train(data, () => (text, unet), batchSize: 2, TimeSpan.FromMinutes(5), maxSteps: 2, resume: false,
            TimeSpan.Zero, 1e-3);

        GpuEditPack.Write(Cache, Pack, Config, _tokenizer, Seed, () => throw new InvalidOperationException("the base model is not read when edit checkpoints exist"));

        var info = ReadInfo();
        Assert.Equal((2L, EditTrainer.ResumedWarmupSteps), (info.Step, info.WarmupSteps));
        foreach (var name in new[] { "edit_text_encoder_ema.dat", "edit_unet_ema.dat" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Cache, name)), File.ReadAllBytes(Path.Combine(Pack, name)));
        }
    }

    private EditLatentDataset Triples()
    {
        manual_seed(2);
        var data = EditLatentDataset.Encode(new VaeEncoderNet(Config.Vae), Seed, count: 6, Scaling);
        data.Save(Cache);
        return EditLatentDataset.Load(Cache);
    }

    private (TextEncoderNet Text, UNetNet UNet) BaseNets()
    {
        manual_seed(4);
        return EditTrainingTests.BaseNets(_tokenizer);
    }

    private GpuPack.Info ReadInfo() => JsonSerializer.Deserialize<GpuPack.Info>(File.ReadAllText(Path.Combine(Pack, GpuPack.InfoFile)))!;

    private Tensor ReadFloats(string file, long[] shape) =>
        tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Pack, file))).ToArray(), shape);
}
