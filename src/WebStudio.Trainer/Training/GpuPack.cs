using System.IO.Compression;
using System.Text.Json;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Writes what a UNet leg on a GPU machine (e.g. an H100, PyTorch without .NET) needs (`gpu/train_unet.py`, PyTorch): the EMA checkpoints, the latents,
/// the captions as token ids and each scene's category, and reference outputs of the TorchSharp networks that the
/// script must reproduce before it trains. Everything C# knows (tokenizer, scene categories, architecture) is resolved
/// here, so the script holds only the networks and the training step. The pack has to travel within the device's
/// 64 MiB, so latents are stored as int8 in steps of 1/32 (0.009 rms error, a third of the smallest training noise)
/// with the few values past ±127/32 kept exactly beside them, and the online weights stay behind (the leg starts its
/// online weights from the EMA ones). placement.bin holds the <see cref="PlacementTargets"/> labels (int32 scene, int32
/// token, float32 x, float32 y) for the script's <c>--placement-aux</c>, spelling.bin the <see cref="SpellingTargets"/>
/// ones (int32 scene, int32 token, a byte per slot) for its <c>--spelling-aux</c>. <see cref="GpuEditPack"/> writes the
/// same layout for an edit leg.
/// </summary>
internal static class GpuPack
{
    public const float LatentStep = 1f / 32;
    public const string InfoFile = "pack.json";

    public sealed record ReferenceInfo(long[] Timesteps, int[][] Ids, long[] SampleShape);

    /// <param name="CheckpointPrefix">Before each checkpoint's name, in the pack and in what the script writes ("edit_" for an edit leg).</param>
    /// <param name="StateFile">The state file the script writes beside its checkpoints.</param>
    /// <param name="Edit">Set for an edit leg (<see cref="GpuEditPack"/>).</param>
    public sealed record Info(
        int Count, long[] LatentShape, float LatentStep, int Outliers, string[] Categories, int[] EmptyIds,
        TextEncoderConfig Text, UNetConfig UNet, long Step, double Minutes, double PromptDropout, double SnrGamma, double LayoutSnr,
        int WarmupSteps, double BetaStart, double BetaEnd, int TrainSteps, ReferenceInfo Reference, int PlacementLabels,
        int SpellingLabels = 0, string CheckpointPrefix = "", string StateFile = UNetTrainer.StateFile, GpuEditPack.EditInfo? Edit = null);

    public static void Write(string cache, string pack, ArchitectureConfig config, ShapesTokenizer tokenizer, long seed)
    {
        var data = LatentDataset.Load(cache);
        var state = Checkpoint.ReadState<UNetTrainer.State>(cache, UNetTrainer.StateFile)
            ?? throw new FileNotFoundException($"'{Path.Combine(cache, UNetTrainer.StateFile)}' is missing: train (or import) the UNet first.");
        var textConfig = config.Text(tokenizer.VocabularySize, tokenizer.EndId);
        var emptyIds = tokenizer.Encode(string.Empty);
        var text = new TextEncoderNet(textConfig);
        var unet = new UNetNet(config.UNet);
        Checkpoint.Load(cache, ModelParts.Ema(ModelParts.TextEncoder), text);
        Checkpoint.Load(cache, ModelParts.Ema(ModelParts.UNet), unet);
        Directory.CreateDirectory(pack);

        var outliers = WriteLatents(data.Latents.contiguous().data<float>().ToArray(), pack);
        WriteIds(pack, data.Captions, tokenizer);
        var names = Enum.GetNames<WebStudio.ShapesWorld.Category>();
        File.WriteAllBytes(Path.Combine(pack, "categories.u8"), data.Categories(seed).Select(c => (byte)c).ToArray());
        foreach (var part in new[] { ModelParts.TextEncoder, ModelParts.UNet })
        {
            var name = ModelParts.Ema(part) + ".dat";
            File.Copy(Path.Combine(cache, name), Path.Combine(pack, name), overwrite: true);
        }

        var placement = PlacementTargets.Build(data.Captions, tokenizer);
        using (var labels = new BinaryWriter(File.Create(Path.Combine(pack, "placement.bin"))))
        {
            foreach (var label in placement.Labels)
            {
                labels.Write(label.Scene);
                labels.Write(label.Token);
                labels.Write(label.X);
                labels.Write(label.Y);
            }
        }

        var spelling = SpellingTargets.Build(data.Captions, tokenizer);
        using (var labels = new BinaryWriter(File.Create(Path.Combine(pack, "spelling.bin"))))
        {
            foreach (var label in spelling.Labels)
            {
                labels.Write(label.Scene);
                labels.Write(label.Token);
                labels.Write(label.Letters.Select(l => checked((byte)l)).ToArray());
            }
        }

        var reference = WriteReference(pack, text, unet, [tokenizer.Encode(data.Captions[0]), emptyIds]);
        WriteInfo(pack, new Info(
            data.Captions.Length, data.Latents.shape, LatentStep, outliers, names, emptyIds, textConfig, config.UNet, state.Step, state.Minutes, UNetTrainer.PromptDropout,
            UNetTrainer.SnrGamma, UNetTrainer.LayoutSnr, UNetTrainer.WarmupSteps, NoiseSchedule.BetaStart, NoiseSchedule.BetaEnd, NoiseSchedule.TrainSteps,
            reference, placement.Labels.Count, spelling.Labels.Count));
        Console.WriteLine($"pack: {data.Captions.Length} scenes at step {state.Step}, {outliers} latent values kept exactly");
    }

    /// <summary>pack.json, then each file of the pack with its size.</summary>
    internal static void WriteInfo(string pack, Info info)
    {
        File.WriteAllText(Path.Combine(pack, InfoFile), JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
        foreach (var file in Directory.EnumerateFiles(pack).Order())
        {
            Console.WriteLine($"{Path.GetFileName(file),-28} {new FileInfo(file).Length / 1024.0:F0} KiB");
        }
    }

    /// <summary>ids.u16.gz: each prompt's 77 token ids.</summary>
    internal static void WriteIds(string pack, IEnumerable<string> prompts, ShapesTokenizer tokenizer)
    {
        var ids = prompts.SelectMany(tokenizer.Encode).Select(i => checked((ushort)i)).ToArray();
        WriteCompressed(Path.Combine(pack, "ids.u16.gz"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan()));
    }

    /// <summary>latents.i8.gz (round(v/step), clamped to ±127) and outliers.bin (int32 index, float32 value) for the
    /// values the clamp would change.</summary>
    internal static int WriteLatents(float[] values, string pack)
    {
        var quantised = new sbyte[values.Length];
        using var outliers = new BinaryWriter(File.Create(Path.Combine(pack, "outliers.bin")));
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var q = MathF.Round(values[i] / LatentStep);
            if (Math.Abs(q) > sbyte.MaxValue)
            {
                outliers.Write(i);
                outliers.Write(values[i]);
                count++;
            }

            quantised[i] = (sbyte)Math.Clamp(q, -sbyte.MaxValue, sbyte.MaxValue);
        }

        WriteCompressed(Path.Combine(pack, "latents.i8.gz"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(quantised.AsSpan()));
        return count;
    }

    /// <summary>Two prompts (a caption and the empty one) through the text encoder, and a fixed noisy sample at two
    /// timesteps through the UNet: reference_context.f32 [2,77,D] and reference_eps.f32 [2,4,16,16] (the sample has
    /// the condition's channels too, where the UNet takes one).</summary>
    internal static ReferenceInfo WriteReference(string pack, TextEncoderNet text, UNetNet unet, int[][] ids)
    {
        using var _ = no_grad();
        text.eval();
        unet.eval();
        var generator = new Generator(7);
        long[] shape = [2, unet.Config.SampleChannels, 16, 16];
        var sample = randn(shape, generator: generator);
        long[] timesteps = [25, 900];
        var context = text.forward(tensor(ids.SelectMany(r => r).Select(i => (long)i).ToArray(), [ids.Length, ShapesTokenizer.MaxLength]));
        var eps = unet.forward(sample, tensor(timesteps), context);
        WriteFloats(Path.Combine(pack, "reference_sample.f32"), sample);
        WriteFloats(Path.Combine(pack, "reference_context.f32"), context);
        WriteFloats(Path.Combine(pack, "reference_eps.f32"), eps);
        return new ReferenceInfo(timesteps, ids, shape);
    }

    private static void WriteFloats(string path, Tensor t) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.contiguous().data<float>().ToArray().AsSpan()));

    private static void WriteCompressed(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(bytes);
    }
}
