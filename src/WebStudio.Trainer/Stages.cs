using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Evaluation;
using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer;

/// <summary>The pipeline stages; each reads what the previous one left in the cache folder.</summary>
internal sealed class Stages(TrainerOptions options)
{
    private readonly ShapesTokenizerFiles _tokenizerFiles = ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary);

    public void All()
    {
        WriteTokenizer();
        TrainVae();
        EncodeLatents();
        TrainUNet();
        Export();
        Evaluate();
    }

    public void Check()
    {
        var config = options.Config;
        var tokenizer = new ShapesTokenizer(_tokenizerFiles);
        var encoder = new VaeEncoderNet(config.Vae);
        var decoder = new VaeDecoderNet(config.Vae);
        var text = new TextEncoderNet(config.Text(tokenizer.VocabularySize, tokenizer.EndId));
        var unet = new UNetNet(config.UNet);
        using var _ = no_grad();
        var latent = encoder.forward(randn(2, 3, 128, 128));
        var image = decoder.forward(latent);
        var ids = tensor(tokenizer.Encode("a red circle").Select(i => (long)i).ToArray(), [1, ShapesTokenizer.MaxLength]);
        var eps = unet.forward(latent, tensor(new long[] { 10, 900 }), text.forward(ids.expand(2, -1)));
        Console.WriteLine($"latent [{string.Join(',', latent.shape)}] image [{string.Join(',', image.shape)}] eps [{string.Join(',', eps.shape)}]");
        Console.WriteLine($"parameters: vae_encoder {Count(encoder)}, vae_decoder {Count(decoder)}, text_encoder {Count(text)}, unet {Count(unet)}; vocabulary {tokenizer.VocabularySize}");
    }

    public void WriteTokenizer()
    {
        _tokenizerFiles.Write(Path.Combine(options.Out, "tokenizer"));
        Console.WriteLine($"tokenizer: {_tokenizerFiles.Vocabulary.Count} tokens, {_tokenizerFiles.Merges.Count} merges");
    }

    public void TrainVae()
    {
        // A newly trained VAE has its own latent scale: the one an import kept no longer applies. A decoder trained on
        // alone keeps the encoder, so its latents and their scale stay.
        if (!options.DecoderOnly)
        {
            ImportedModel.Forget(options.Cache);
        }

        new VaeTrainer(options.Config.Vae, options.Cache, options.Seed)
            .Train(TimeSpan.FromMinutes(options.VaeMinutes), options.VaeSteps, options.Resume, options.DecoderOnly);
    }

    public void EncodeLatents()
    {
        var encoder = new VaeEncoderNet(options.Config.Vae);
        Checkpoint.Load(options.Cache, ModelParts.VaeEncoder, encoder);
        // An imported UNet was trained on latents scaled by its folder's factor, so new latents keep that factor.
        var data = LatentDataset.Encode(encoder, options.Seed, options.Samples, ImportedModel.Read(options.Cache)?.ScalingFactor);
        data.Save(options.Cache);
        Console.WriteLine($"latents: {data.Captions.Length} scenes, scaling factor {data.ScalingFactor:G6}");
    }

    public void TrainUNet()
    {
        var data = LatentDataset.Load(options.Cache);
        new UNetTrainer(options.Config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed)
            .Train(data, options.Batch, TimeSpan.FromMinutes(options.UNetMinutes), options.UNetSteps, options.Resume,
                TimeSpan.FromMinutes(options.CooldownMinutes), options.LearningRate, options.CategoryWeights, options.PlacementAux, options.LayoutWeight, options.SpellingAux);
    }

    /// <summary>Turns an exported model folder back into checkpoints (online and EMA weights alike, step 0), so
    /// `encode` and `train-unet --resume` go on from it.</summary>
    public void Import()
    {
        var from = options.From ?? options.Out;
        var config = options.Config;
        var encoder = new VaeEncoderNet(config.Vae);
        var decoder = new VaeDecoderNet(config.Vae);
        var trainer = new UNetTrainer(config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed);
        var nets = trainer.CreateNets();
        ModelFolderImporter.Import(from, encoder, decoder, nets.Text, nets.UNet);
        Ema.CopyInto(nets.Text, nets.TextEma);
        Ema.CopyInto(nets.UNet, nets.UNetEma);
        var scaling = WebStudio.Generation.Models.ModelConfig.Read(from).ScalingFactor;
        Checkpoint.Save(options.Cache, new Dictionary<string, nn.Module> { [ModelParts.VaeEncoder] = encoder, [ModelParts.VaeDecoder] = decoder },
            new ImportedModel(Path.GetFullPath(from), scaling), ImportedModel.StateFile);
        trainer.Save(nets, step: 0, loss: 0, minutes: 0);
        Console.WriteLine($"imported '{from}': vae_encoder {Count(encoder)}, vae_decoder {Count(decoder)}, text_encoder {Count(nets.Text)}, unet {Count(nets.UNet)} parameters; scaling factor {scaling:G6}");
    }

    /// <summary>Packs the cache for a UNet leg on a GPU machine (see <see cref="Training.GpuPack"/>).</summary>
    public void GpuPack() =>
        Training.GpuPack.Write(options.Cache, options.Pack ?? Path.Combine(options.Cache, "gpu-pack"), options.Config, new ShapesTokenizer(_tokenizerFiles), options.Seed);

    /// <summary>Packs the edit triples and checkpoints for an edit leg on a GPU machine (see <see cref="Training.GpuEditPack"/>).</summary>
    public void GpuPackEdit() =>
        Training.GpuEditPack.Write(options.Cache, options.Pack ?? Path.Combine(options.Cache, "gpu-pack-edit"), options.Config, new ShapesTokenizer(_tokenizerFiles),
            options.Seed, BaseTextAndUNet);

    public void Export()
    {
        var config = options.Config;
        var encoder = new VaeEncoderNet(config.Vae);
        var decoder = new VaeDecoderNet(config.Vae);
        Checkpoint.Load(options.Cache, ModelParts.VaeEncoder, encoder);
        Checkpoint.Load(options.Cache, ModelParts.VaeDecoder, decoder);
        var trainer = new UNetTrainer(config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed);
        var nets = trainer.CreateNets();
        UNetTrainer.LoadInto(nets, options.Cache);
        // Straight after an import there are no latents yet; the imported factor is the one they will get.
        var scaling = ImportedModel.Read(options.Cache)?.ScalingFactor ?? LatentDataset.ReadScalingFactor(options.Cache);
        WriteFolder(options.Out, config, encoder, decoder, nets.TextEma, nets.UNetEma, scaling, ModelFolderWriter.TextToImagePipeline);
    }

    private void WriteFolder(string output, ArchitectureConfig config, VaeEncoderNet encoder, VaeDecoderNet decoder, TextEncoderNet text, UNetNet unet,
        float scaling, string pipeline)
    {
        _tokenizerFiles.Write(Path.Combine(output, "tokenizer"));
        new ModelFolderWriter(output).Write(config, encoder, decoder, text, unet, scaling, pipeline);
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Order())
        {
            Console.WriteLine($"{Path.GetRelativePath(output, file),-36} {new FileInfo(file).Length / 1024.0:F0} KiB");
        }
    }

    /// <summary>The base model the edit model starts from, read back from its folder (<see cref="TrainerOptions.EditFrom"/>).</summary>
    private (VaeEncoderNet Encoder, VaeDecoderNet Decoder, TextEncoderNet Text, UNetNet UNet, float Scaling) ReadBase()
    {
        var config = options.Config;
        var encoder = new VaeEncoderNet(config.Vae);
        var decoder = new VaeDecoderNet(config.Vae);
        var nets = new UNetTrainer(config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed).CreateNets();
        ModelFolderImporter.Import(options.EditFrom, encoder, decoder, nets.Text, nets.UNet);
        return (encoder, decoder, nets.Text, nets.UNet, WebStudio.Generation.Models.ModelConfig.Read(options.EditFrom).ScalingFactor);
    }

    /// <summary>The base model's text encoder and UNet, where an edit run starts.</summary>
    private (TextEncoderNet Text, UNetNet UNet) BaseTextAndUNet()
    {
        var model = ReadBase();
        return (model.Text, model.UNet);
    }

    public void EncodeEdits()
    {
        var model = ReadBase();
        var data = EditLatentDataset.Encode(model.Encoder, options.Seed, options.Samples, model.Scaling);
        data.Save(options.Cache);
        Console.WriteLine($"edit latents: {data.Instructions.Length} triples, output scaling factor {data.ScalingFactor:G6} (from '{options.EditFrom}')");
    }

    public void TrainEdit()
    {
        var data = EditLatentDataset.Load(options.Cache);
        new EditTrainer(options.Config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed)
            .Train(data, BaseTextAndUNet, options.Batch, TimeSpan.FromMinutes(options.EditMinutes),
                options.EditSteps, options.Resume, TimeSpan.FromMinutes(options.CooldownMinutes), options.LearningRate, options.LayoutWeight, options.EditIdentity, options.EditKindWeights);
    }

    /// <summary>Reads the edit folder (--out, default models/webstudio-edit) back into edit checkpoints in --cache.</summary>
    public void ImportEdit()
    {
        var nets = new EditTrainer(options.Config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed).Import(options.EditOut);
        Console.WriteLine($"imported '{options.EditOut}' into {options.Cache}: text_encoder {Count(nets.Text)}, unet {Count(nets.UNet)} parameters (step 0)");
    }

    /// <summary>The InstructPix2Pix folder: the base model's VAE and tokenizer, the edit checkpoints' EMA text encoder and UNet.</summary>
    public void ExportEdit()
    {
        var model = ReadBase();
        var trainer = new EditTrainer(options.Config, new ShapesTokenizer(_tokenizerFiles), options.Cache, options.Seed);
        var nets = trainer.CreateNets();
        EditTrainer.LoadInto(nets, options.Cache);
        WriteFolder(options.EditOut, trainer.EditConfig, model.Encoder, model.Decoder, nets.TextEma, nets.UNetEma, model.Scaling,
            ModelFolderWriter.InstructPix2PixPipeline);
        EditModelCard.Write(options.EditOut);
    }

    public void EvaluateEdit() => new EditFolderEvaluation(options.EditOut, options.Threads,
        new InstructionEdit { TextGuidance = options.TextGuidance, ImageGuidance = options.ImageGuidance, AutoMaskThreshold = options.AutoMask }).Run(options.EvalCount, options.Scheduler, options.ImagesDir, tuning: options.EditSuite == "tune");

    public void Evaluate() => new FolderEvaluation(options.Out, options.Threads).Run(options.EvalCount, options.Suite, options.Sampler, options.Scheduler, options.ImagesDir);

    public void Benchmark() => new FolderEvaluation(options.Out, options.Threads).BenchmarkUNet();

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}
