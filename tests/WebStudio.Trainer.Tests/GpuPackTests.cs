using System.IO.Compression;
using System.Text.Json;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>The pack for a GPU leg holds the cache's latents (int8 within half a step, values past the int8 range
/// exactly), each caption's token ids and category, the probes' labels and the EMA checkpoints, as pack.json describes
/// them.</summary>
public sealed class GpuPackTests : IDisposable
{
    private const long Seed = 5;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gpu-pack-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void The_pack_holds_the_latents_ids_categories_and_checkpoints_of_the_cache()
    {
        set_num_threads(2);
        manual_seed(11);
        var cache = Path.Combine(_root.FullName, "cache");
        var pack = Path.Combine(_root.FullName, "pack");
        var config = ArchitectureConfig.Tiny;
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        // Up to the stream's first Words scene, so that the spelling labels have a word to hold.
        var scenes = Enumerable.Range(0, 100).First(i => new WebStudio.ShapesWorld.SceneGenerator(Seed, SceneBatches.TrainingMix).Plan(i).Category == WebStudio.ShapesWorld.Category.Words) + 1;
        var encoded = LatentDataset.Encode(new VaeEncoderNet(config.Vae), Seed, count: Math.Max(6, scenes));
        // Values past ±127/32 must survive exactly, beside the int8 ones.
        var latents = encoded.Latents.clone();
        latents[0, 0, 0, 0] = tensor(5.25f);
        latents[3, 2, 1, 1] = tensor(-7.5f);
        var data = new LatentDataset(latents, encoded.Captions, encoded.ScalingFactor);
        data.Save(cache);
        new UNetTrainer(config, tokenizer, cache, Seed).Train(data, batchSize: 2, TimeSpan.FromMinutes(5), maxSteps: 1, resume: false);

        GpuPack.Write(cache, pack, config, tokenizer, Seed);

        var info = JsonSerializer.Deserialize<GpuPack.Info>(File.ReadAllText(Path.Combine(pack, GpuPack.InfoFile)))!;
        Assert.Equal(data.Captions.Length, info.Count);
        Assert.Equal(1, info.Step);
        Assert.Equal(tokenizer.EndId, info.Text.EndId);
        Assert.Equal(data.Categories(Seed).Select(c => c.ToString()), File.ReadAllBytes(Path.Combine(pack, "categories.u8")).Select(b => info.Categories[b]));

        var values = data.Latents.contiguous().data<float>().ToArray();
        var restored = RestoredLatents(pack, info);

        // The two planted values, and any the random encoder made past the range itself.
        Assert.Equal(values.Count(v => Math.Abs(MathF.Round(v / info.LatentStep)) > sbyte.MaxValue), info.Outliers);
        Assert.True(info.Outliers >= 2);
        Assert.Equal(values.Length, restored.Length);
        Assert.All(values.Zip(restored), p => Assert.True(Math.Abs(p.First - p.Second) <= (info.LatentStep / 2) + 1e-6f, $"{p.First} came back as {p.Second}"));
        Assert.Contains(5.25f, restored);
        Assert.Contains(-7.5f, restored);

        var ids = Decompress(Path.Combine(pack, "ids.u16.gz"));
        var expected = data.Captions.SelectMany(tokenizer.Encode).ToArray();
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(i => (int)BitConverter.ToUInt16(ids, i * 2)));

        foreach (var part in new[] { ModelParts.TextEncoder, ModelParts.UNet })
        {
            var name = ModelParts.Ema(part) + ".dat";
            Assert.Equal(File.ReadAllBytes(Path.Combine(cache, name)), File.ReadAllBytes(Path.Combine(pack, name)));
        }

        Assert.Equal(2 * 4 * 16 * 16 * sizeof(float), new FileInfo(Path.Combine(pack, "reference_eps.f32")).Length);

        var labels = PlacementTargets.Build(data.Captions, tokenizer).Labels;
        Assert.Equal(labels.Count, info.PlacementLabels);
        using var placement = new BinaryReader(File.OpenRead(Path.Combine(pack, "placement.bin")));
        Assert.Equal(labels, labels.Select(_ => new PlacementTargets.Label(placement.ReadInt32(), placement.ReadInt32(), placement.ReadSingle(), placement.ReadSingle())));
        Assert.Equal(placement.BaseStream.Length, placement.BaseStream.Position);

        var words = SpellingTargets.Build(data.Captions, tokenizer).Labels;
        Assert.NotEmpty(words);
        Assert.Equal(words.Count, info.SpellingLabels);
        using var spelling = new BinaryReader(File.OpenRead(Path.Combine(pack, "spelling.bin")));
        foreach (var label in words)
        {
            Assert.Equal((label.Scene, label.Token), (spelling.ReadInt32(), spelling.ReadInt32()));
            Assert.Equal(label.Letters, spelling.ReadBytes(SpellingTargets.Slots).Select(b => (int)b));
        }

        Assert.Equal(spelling.BaseStream.Length, spelling.BaseStream.Position);
    }

    /// <summary>The pack's latents as the script reads them: the int8 steps, then the outliers' exact values.</summary>
    internal static float[] RestoredLatents(string pack, GpuPack.Info info)
    {
        var values = Decompress(Path.Combine(pack, "latents.i8.gz")).Select(b => (sbyte)b * info.LatentStep).ToArray();
        using var outliers = new BinaryReader(File.OpenRead(Path.Combine(pack, "outliers.bin")));
        for (var i = 0; i < info.Outliers; i++)
        {
            values[outliers.ReadInt32()] = outliers.ReadSingle();
        }

        return values;
    }

    internal static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
