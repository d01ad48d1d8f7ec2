using System.Diagnostics;
using WebStudio.ShapesWorld.Editing;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Trains the instruction-edit model (InstructPix2Pix) from the base model: text encoder + an 8-channel UNet whose
/// input is the noisy edited-scene latents beside the input scene's unscaled latents. The loss is the base UNet's
/// (epsilon, min-SNR-5); the conditioning drops out as InstructPix2Pix's does (5% empty instruction, 5% zero image,
/// 5% both), so the three-way guidance has its unconditional terms. The text encoder trains at
/// <see cref="TextRateScale"/> of the UNet's rate. Checkpoints (edit_*.dat, edit_state.json) every few minutes,
/// resumable, EMA twins exported.
/// </summary>
internal sealed class EditTrainer(ArchitectureConfig config, ShapesTokenizer tokenizer, string cache, long seed)
{
    public const string StateFile = "edit_state.json";
    public const double DropoutEach = 0.05;
    /// <summary>The instructions' verbs are BPE pieces the base text encoder never saw in a caption, so it must learn
    /// them; a lower rate keeps what it knows of the caption words the instructions share.</summary>
    public const double TextRateScale = 0.3;
    /// <summary>conv_in's weights (the image latents' channels start at zero) learn this many times faster than the rest:
    /// Adam moves a weight by about the rate per step, so at the UNet's rate the image channels took hundreds of steps to
    /// matter (at step 550 of the first run the model still redrew the scene from the instruction).</summary>
    public const double ConvInRateScale = 10;
    /// <summary>A resumed run's new optimiser warms up over this many steps (a first run over <see cref="UNetTrainer.WarmupSteps"/>).</summary>
    public const int ResumedWarmupSteps = 50;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMinutes(4);

    public ArchitectureConfig EditConfig { get; } = config.ForEditing();

    public static string Part(string part) => "edit_" + part;

    public UNetTrainer.Nets CreateNets() => new(
        new TextEncoderNet(EditConfig.Text(tokenizer.VocabularySize, tokenizer.EndId)), new UNetNet(EditConfig.UNet),
        new TextEncoderNet(EditConfig.Text(tokenizer.VocabularySize, tokenizer.EndId)), new UNetNet(EditConfig.UNet));

    /// <summary>Copies the base UNet into the edit UNet; conv_in's weights for the image latents start at zero, so
    /// the edit UNet predicts exactly what the base one does, whatever image it is given (as InstructPix2Pix starts).</summary>
    public static void Widen(UNetNet source, UNetNet target)
    {
        using var _ = no_grad();
        var from = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            var value = from[name];
            if (name == "ConvIn.weight")
            {
                tensor.zero_();
                tensor.narrow(1, 0, value.shape[1]).copy_(value);
            }
            else
            {
                tensor.copy_(value);
            }
        }
    }

    /// <param name="start">The base model's text encoder and 4-channel UNet, for a run that does not resume.</param>
    /// <param name="layoutWeight">As <see cref="UNetTrainer.LossWeight"/>'s: the noisiest timesteps, where sampling
    /// decides the layout and so whether the input's layout is kept, weigh up to this many times more.</param>
    /// <param name="identityShare">This share of the samples has no instruction and the input scene itself as the
    /// target (in place of InstructPix2Pix's 5% with no instruction and the edited scene), so that the three-way
    /// guidance's image-only term copies the input and the instruction's term alone moves away from it.</param>
    /// <param name="kindWeights">Draw triples of these edit kinds this much more (or less) often than the data holds
    /// them (the weakest kinds more); null: uniformly.</param>
    public UNetTrainer.Nets Train(EditLatentDataset data, Func<(TextEncoderNet Text, UNetNet UNet)> start, int batchSize, TimeSpan budget,
        long maxSteps, bool resume, TimeSpan cooldown, double learningRate, double layoutWeight = 1, double identityShare = 0,
        IReadOnlyDictionary<EditKind, double>? kindWeights = null)
    {
        TorchCpu.UseAtenConvolutions();
        manual_seed(seed);
        var nets = CreateNets();
        var step = 0L;
        var minutesBefore = 0.0;
        if (resume && Checkpoint.ReadState<UNetTrainer.State>(cache, StateFile) is { } state)
        {
            LoadInto(nets, cache);
            step = state.Step;
            minutesBefore = state.Minutes;
            Console.WriteLine($"edit: resumed at step {step}");
        }
        else
        {
            var (text, unet) = start();
            Ema.CopyInto(text, nets.Text);
            Widen(unet, nets.UNet);
            Ema.CopyInto(nets.Text, nets.TextEma);
            Ema.CopyInto(nets.UNet, nets.UNetEma);
        }

        var ids = tensor(data.Instructions.SelectMany(tokenizer.Encode).Select(i => (long)i).ToArray(), [data.Instructions.Length, ShapesTokenizer.MaxLength]);
        var emptyIds = tensor(tokenizer.Encode(string.Empty).Select(i => (long)i).ToArray(), [1, ShapesTokenizer.MaxLength]);
        var alphas = NoiseSchedule.AlphasCumprodTensor();
        // By name: a module's parameter property need not hand back the object parameters() lists.
        var unetParameters = nets.UNet.named_parameters().ToList();
        var isConvIn = (string name) => name == "ConvIn.weight";
        var scales = new[] { 1.0, ConvInRateScale, TextRateScale };
        var optimizer = optim.AdamW(
            new[] { unetParameters.Where(p => !isConvIn(p.name)).Select(p => p.parameter), unetParameters.Where(p => isConvIn(p.name)).Select(p => p.parameter), nets.Text.parameters() }.Zip(scales,
                (group, scale) => new TorchSharp.Modules.AdamW.ParamGroup(group, new TorchSharp.Modules.AdamW.Options { LearningRate = learningRate * scale })),
            learningRate, weight_decay: 0.01);
        var warmup = step > 0 ? ResumedWarmupSteps : UNetTrainer.WarmupSteps;
        var parameters = nets.UNet.parameters().Concat(nets.Text.parameters()).ToList();
        var generator = new Generator((ulong)(seed + step));
        var clock = Stopwatch.StartNew();
        var lastSave = clock.Elapsed;
        var running = 0.0;
        var startStep = step;
        var count = data.Instructions.Length;
        var watched = ImageShareProbe.From(data, ids, Math.Min(64, count));
        var draw = SampleDraw.Create("edit: kind", count, () => data.Kinds, kindWeights);

        Console.WriteLine($"edit: {count} triples, batch {batchSize}, rate {learningRate:G3} (conv_in ×{ConvInRateScale}, text ×{TextRateScale})" +
            $"{(layoutWeight > 1 ? $", layout weight {layoutWeight:G3}" : "")}{(identityShare > 0 ? $", identity share {identityShare:G3}" : "")}; " +
            $"image share {watched.Measure(nets.TextEma, nets.UNetEma, alphas):F3}");
        while (clock.Elapsed < budget && step - startStep < maxSteps)
        {
            using var scope = NewDisposeScope();
            var lr = UNetTrainer.Rate(learningRate, step - startStep, budget - clock.Elapsed, cooldown, warmup);
            foreach (var (group, scale) in optimizer.ParamGroups.Zip(scales))
            {
                group.LearningRate = lr * scale;
            }

            var index = draw.Next(batchSize, generator);
            var image = data.Inputs.index_select(0, index);
            var (dropText, keepImage, x0) = Conditioning(
                rand([batchSize], generator: generator), image, data.Outputs.index_select(0, index), data.ScalingFactor, identityShare);
            var tokens = where(dropText, emptyIds.expand(batchSize, -1), ids.index_select(0, index));
            var t = randint(0, NoiseSchedule.TrainSteps, [batchSize], dtype: ScalarType.Int64, generator: generator);
            var noise = randn(x0.shape, generator: generator);
            var abar = alphas.index_select(0, t).view(-1, 1, 1, 1);
            var noisy = (abar.sqrt() * x0) + ((1 - abar).sqrt() * noise);
            var predicted = nets.UNet.forward(cat([noisy, image * keepImage], 1), t, nets.Text.forward(tokens));
            var loss = (UNetTrainer.LossWeight(abar / (1 - abar), layoutWeight) * (predicted - noise).square()).mean();
            optimizer.zero_grad();
            loss.backward();
            var gradNorm = nn.utils.clip_grad_norm_(parameters, 1.0);
            var value = loss.item<float>();
            if (!double.IsFinite(gradNorm) || !float.IsFinite(value))
            {
                throw new NonFiniteTrainingException(
                    $"Edit training produced a non-finite loss or gradient (loss {value}, norm {gradNorm}) at step {step + 1}; nothing was saved. " +
                    "The last checkpoint, if any, is still good.");
            }

            optimizer.step();
            step++;
            UNetTrainer.UpdateEma(nets, step);
            running = step - startStep == 1 ? value : (0.99 * running) + (0.01 * value);
            if (step % 50 == 0)
            {
                var share = step % 250 == 0 ? $" image share {watched.Measure(nets.TextEma, nets.UNetEma, alphas):F3} (EMA)" : "";
                Console.WriteLine($"edit step {step} loss {running:F4} lr {lr:E2} {clock.Elapsed:hh\\:mm\\:ss} ({(step - startStep) / clock.Elapsed.TotalSeconds:F2} steps/s){share}");
            }

            if (clock.Elapsed - lastSave > CheckpointEvery)
            {
                Save(nets, step, running, minutesBefore + clock.Elapsed.TotalMinutes);
                lastSave = clock.Elapsed;
            }
        }

        Save(nets, step, running, minutesBefore + clock.Elapsed.TotalMinutes);
        Console.WriteLine($"edit: {step} steps, loss {running:F4}");
        return nets;
    }

    /// <summary>
    /// Which samples lose their instruction ([B,1] bool) and their image ([B,1,1,1] 1 to keep, 0 to drop), and each one's
    /// target latents, from one uniform draw <paramref name="r"/> per sample: r &lt; 5%: no instruction; 5–10%: neither;
    /// 10–15%: no image (diffusers' train_instruct_pix2pix split). With an identity share the first span is that share,
    /// and its target is the input scene at the outputs' scale.
    /// </summary>
    internal static (Tensor DropText, Tensor KeepImage, Tensor Target) Conditioning(Tensor r, Tensor image, Tensor output, float scaling, double identityShare)
    {
        var first = identityShare > 0 ? identityShare : DropoutEach;
        var dropText = r.lt(first + DropoutEach).unsqueeze(1);
        var keepImage = r.lt(first).logical_or(r.ge(first + (2 * DropoutEach))).to(ScalarType.Float32).view(-1, 1, 1, 1);
        var target = identityShare > 0 ? where(r.lt(first).view(-1, 1, 1, 1), image * scaling, output) : output;
        return (dropText, keepImage, target);
    }

    /// <summary>Turns an exported edit folder back into edit checkpoints (online and EMA weights alike, step 0), so
    /// `train-edit --resume` goes on from a shipped model whose checkpoints are gone.</summary>
    public UNetTrainer.Nets Import(string folder)
    {
        var nets = CreateNets();
        ModelFolderImporter.ImportTextAndUNet(folder, nets.Text, nets.UNet);
        Ema.CopyInto(nets.Text, nets.TextEma);
        Ema.CopyInto(nets.UNet, nets.UNetEma);
        Save(nets, step: 0, loss: 0, minutes: 0);
        return nets;
    }

    public void Save(UNetTrainer.Nets nets, long step, double loss, double minutes) =>
        UNetTrainer.Save(cache, nets, Part, new UNetTrainer.State(step, loss, minutes), StateFile);

    public static void LoadInto(UNetTrainer.Nets nets, string cache) => UNetTrainer.LoadInto(nets, cache, Part);
}
