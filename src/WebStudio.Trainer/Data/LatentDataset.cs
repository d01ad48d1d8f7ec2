using System.Diagnostics;
using System.Text.Json;
using WebStudio.Trainer.Models;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Data;

/// <summary>Training scenes encoded once by the frozen VAE: scaled latents [N,4,16,16] and their captions,
/// stored as latents.bin (float32), captions.txt and latents.json (count, scaling factor) in the cache.</summary>
internal sealed class LatentDataset(Tensor latents, string[] captions, float scalingFactor)
{
    private const string LatentsFile = "latents.bin";
    private const string CaptionsFile = "captions.txt";
    private const string InfoFile = "latents.json";

    public sealed record Info(int Count, float ScalingFactor, long[] LatentShape);

    public Tensor Latents { get; } = latents;

    public string[] Captions { get; } = captions;

    public float ScalingFactor { get; } = scalingFactor;

    /// <summary>Encodes the first <paramref name="count"/> training scenes; scaling = 1 / std of all latents unless
    /// <paramref name="scaling"/> fixes it.</summary>
    public static LatentDataset Encode(VaeEncoderNet encoder, long seed, int count, float? scaling = null)
    {
        using var _ = no_grad();
        encoder.eval();
        var data = new SceneBatches(seed);
        var chunks = new List<Tensor>();
        var captions = new List<string>();
        var clock = Stopwatch.StartNew();
        while (captions.Count < count)
        {
            using var scope = NewDisposeScope();
            var (images, batchCaptions) = data.Next(Math.Min(64, count - captions.Count));
            chunks.Add(encoder.forward(images).MoveToOuterDisposeScope());
            captions.AddRange(batchCaptions);
            if (captions.Count % 2048 == 0)
            {
                Console.WriteLine($"encoded {captions.Count}/{count} {clock.Elapsed:mm\\:ss}");
            }
        }

        var all = cat(chunks, 0);
        var std = all.std().item<float>();
        var factor = scaling ?? (float)(1.0 / std);
        Console.WriteLine($"latent std {std:G5}, scaling factor {factor:G6}{(scaling is null ? string.Empty : " (kept from the imported model)")}");
        return new LatentDataset(all * factor, captions.ToArray(), factor);
    }

    /// <summary>Each stored scene's category, found by replaying the scene stream's plans (no drawing), which
    /// must give the stored captions: latents are encoded in stream order from index 0.</summary>
    public WebStudio.ShapesWorld.Category[] Categories(long seed)
    {
        var generator = new WebStudio.ShapesWorld.SceneGenerator(seed, SceneBatches.TrainingMix);
        var categories = new WebStudio.ShapesWorld.Category[Captions.Length];
        for (var i = 0; i < categories.Length; i++)
        {
            var plan = generator.Plan(i);
            if (plan.Caption != Captions[i])
            {
                throw new InvalidDataException($"Scene {i} of seed {seed} is \"{plan.Caption}\", but the latents say \"{Captions[i]}\": they were encoded from another stream.");
            }

            categories[i] = plan.Category;
        }

        return categories;
    }

    public void Save(string cache)
    {
        Directory.CreateDirectory(cache);
        var values = Latents.contiguous().data<float>().ToArray();
        using (var stream = File.Create(Path.Combine(cache, LatentsFile)))
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }

        File.WriteAllLines(Path.Combine(cache, CaptionsFile), Captions);
        File.WriteAllText(Path.Combine(cache, InfoFile), JsonSerializer.Serialize(new Info(Captions.Length, ScalingFactor, Latents.shape)));
    }

    public static float ReadScalingFactor(string cache) => ReadInfo(cache).ScalingFactor;

    private static Info ReadInfo(string cache)
    {
        var infoPath = Path.Combine(cache, InfoFile);
        if (!File.Exists(infoPath))
        {
            throw new FileNotFoundException($"'{infoPath}' is missing: run the 'encode' stage first.", infoPath);
        }

        return JsonSerializer.Deserialize<Info>(File.ReadAllText(infoPath))
            ?? throw new InvalidDataException($"'{infoPath}' is empty.");
    }

    public static LatentDataset Load(string cache)
    {
        var info = ReadInfo(cache);
        var bytes = File.ReadAllBytes(Path.Combine(cache, LatentsFile));
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        if (values.Length != info.LatentShape.Aggregate(1L, (a, b) => a * b))
        {
            throw new InvalidDataException($"'{LatentsFile}' holds {values.Length} floats, but {InfoFile} says shape [{string.Join(',', info.LatentShape)}].");
        }

        var captions = File.ReadAllLines(Path.Combine(cache, CaptionsFile));
        return new LatentDataset(tensor(values, info.LatentShape), captions, info.ScalingFactor);
    }
}
