using WebStudio.ShapesWorld.Editing;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// What an edit leg on a GPU machine needs (`gpu/train_unet.py` trains one where pack.json has <see cref="EditInfo"/>),
/// in <see cref="GpuPack"/>'s layout: the edit triples' latents [N,2,4,h,w] (input, output), the instructions' token
/// ids, each triple's <see cref="EditKind"/> as its category (so <c>--category-weights "Count=2"</c> works), and the
/// edit checkpoints' EMA twins, or, before any edit training, the base model widened as <c>train-edit</c> starts
/// (<see cref="EditTrainer.Widen"/>). The script writes <c>edit_*.dat</c> and <c>edit_state.json</c>, which
/// <c>train-edit --resume</c> and <c>export-edit</c> read as their own.
/// </summary>
internal static class GpuEditPack
{
    /// <summary>The edit step's settings (<see cref="EditTrainer"/>'s), and the factor that brings the stored input
    /// latents back to the unscaled ones the UNet is fed.</summary>
    /// <param name="InputScale">The input latents are stored multiplied by the model's scaling factor, in the outputs'
    /// range, so that one int8 step serves both; the script multiplies them by this (1 / scaling factor).</param>
    public sealed record EditInfo(double DropoutEach, double ConvInRateScale, double TextRateScale, float InputScale);

    public static void Write(
        string cache, string pack, ArchitectureConfig config, ShapesTokenizer tokenizer, long seed, Func<(TextEncoderNet Text, UNetNet UNet)> start)
    {
        var data = EditLatentDataset.Load(cache);
        var trainer = new EditTrainer(config, tokenizer, cache, seed);
        var nets = trainer.CreateNets();
        var state = Checkpoint.ReadState<UNetTrainer.State>(cache, EditTrainer.StateFile);
        if (state is not null)
        {
            EditTrainer.LoadInto(nets, cache);
        }
        else
        {
            var (text, unet) = start();
            Ema.CopyInto(text, nets.TextEma);
            EditTrainer.Widen(unet, nets.UNetEma);
            state = new UNetTrainer.State(0, 0, 0);
        }

        Directory.CreateDirectory(pack);
        var outliers = GpuPack.WriteLatents(stack([data.Inputs * data.ScalingFactor, data.Outputs], 1).contiguous().data<float>().ToArray(), pack);
        GpuPack.WriteIds(pack, data.Instructions, tokenizer);
        File.WriteAllBytes(Path.Combine(pack, "categories.u8"), data.Kinds.Select(k => (byte)k).ToArray());
        nets.TextEma.save(Path.Combine(pack, EditTrainer.Part(ModelParts.Ema(ModelParts.TextEncoder)) + ".dat"));
        nets.UNetEma.save(Path.Combine(pack, EditTrainer.Part(ModelParts.Ema(ModelParts.UNet)) + ".dat"));

        var emptyIds = tokenizer.Encode(string.Empty);
        var reference = GpuPack.WriteReference(pack, nets.TextEma, nets.UNetEma, [tokenizer.Encode(data.Instructions[0]), emptyIds]);
        long[] shape = [data.Instructions.Length, 2, .. data.Outputs.shape[1..]];
        GpuPack.WriteInfo(pack, new GpuPack.Info(
            data.Instructions.Length, shape, GpuPack.LatentStep, outliers, Enum.GetNames<EditKind>(), emptyIds, nets.TextEma.Config, trainer.EditConfig.UNet,
            state.Step, state.Minutes, PromptDropout: 0, UNetTrainer.SnrGamma, UNetTrainer.LayoutSnr,
            state.Step > 0 ? EditTrainer.ResumedWarmupSteps : UNetTrainer.WarmupSteps, NoiseSchedule.BetaStart, NoiseSchedule.BetaEnd, NoiseSchedule.TrainSteps,
            reference, PlacementLabels: 0, SpellingLabels: 0, EditTrainer.Part(""), EditTrainer.StateFile,
            new EditInfo(EditTrainer.DropoutEach, EditTrainer.ConvInRateScale, EditTrainer.TextRateScale, 1f / data.ScalingFactor)));
        Console.WriteLine($"edit pack: {data.Instructions.Length} triples at step {state.Step}, {outliers} latent values kept exactly");
    }
}
