using System.Collections.Concurrent;
using WebStudio.Generation.Models;

namespace WebStudio.Testing.TinyModels;

/// <summary>
/// The one tiny-model fixture. Writes each tiny model variant once under one temp root (on first use), keeps a loaded
/// variant loaded, names variants for theories, and offers a models folder whose only model is "tiny" for studio
/// hosts. As a class or collection fixture it lives as long as they do; <see cref="Shared"/> lives for the process.
/// </summary>
public sealed class TinyModelFolders : IDisposable
{
    /// <summary>The name the studio knows the tiny model by in <see cref="ModelsPath"/>.</summary>
    public const string ModelName = "tiny";

    private static readonly Dictionary<string, TinyModelVariant> Variants = new()
    {
        ["DiffusersScript"] = TinyModelVariant.DiffusersScript,
        ["Optimum"] = TinyModelVariant.Optimum,
        ["OnnxStack"] = TinyModelVariant.OnnxStack,
        ["FixedBatch1"] = TinyModelVariant.FixedBatch,
        ["Lcm"] = TinyModelVariant.LatentConsistency,
        ["Inpainting"] = TinyModelVariant.Inpaint,
        ["Fp16"] = TinyModelVariant.Half,
        ["Sd2"] = TinyModelVariant.Sd2,
        ["OptimumFp16Lcm"] = TinyModelVariant.Optimum with { Fp16 = true, Lcm = true },
        ["Largest"] = TinyModelVariant.Largest,
        ["InstructPix2Pix"] = TinyModelVariant.InstructEdit,
        ["InstructPix2PixOptimum"] = TinyModelVariant.InstructEditOptimum,
    };

    private static readonly Lazy<TinyModelFolders> ProcessWide = new(() =>
    {
        var folders = new TinyModelFolders();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folders.Dispose();
        return folders;
    });

    private readonly ConcurrentDictionary<TinyModelVariant, Lazy<StableDiffusionModel>> _models = new();
    private readonly Lock _writing = new();

    /// <summary>One instance for the whole test process, for hosts that are not xunit fixtures; removed at exit.</summary>
    public static TinyModelFolders Shared => ProcessWide.Value;

    /// <summary>The named variants, for theories (see <see cref="Variant"/> and <see cref="Folder"/>).</summary>
    public static TheoryData<string> Names => [.. Variants.Keys];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "webstudio-tests", "tiny-" + Guid.NewGuid().ToString("N"));

    /// <summary>A models folder whose only model is <see cref="ModelName"/> (the DiffusersScript variant, 64×64 native).</summary>
    public string ModelsPath => Path.GetDirectoryName(Write(TinyModelVariant.DiffusersScript, Path.Combine("models", ModelName)))!;

    /// <summary>The tiny InstructPix2Pix model's name in <see cref="ModelsWithEditPath"/>.</summary>
    public const string EditModelName = "tiny-edit";

    /// <summary>A models folder with <see cref="ModelName"/> and an instruction model, <see cref="EditModelName"/>, beside it.</summary>
    public string ModelsWithEditPath
    {
        get
        {
            Write(TinyModelVariant.InstructEdit, Path.Combine("models-edit", EditModelName));
            return Path.GetDirectoryName(Write(TinyModelVariant.DiffusersScript, Path.Combine("models-edit", ModelName)))!;
        }
    }

    public static TinyModelVariant Variant(string name) => Variants[name];

    /// <summary>The folder of the variant named <paramref name="name"/> in <see cref="Names"/>.</summary>
    public string Folder(string name) => Write(Variants[name], name);

    /// <summary>The variant loaded on the CPU, once per fixture.</summary>
    public StableDiffusionModel Load(TinyModelVariant variant) =>
        _models.GetOrAdd(variant, v => new Lazy<StableDiffusionModel>(() =>
            StableDiffusionModel.Load(Write(v), new ModelLoadOptions { UseCuda = false }))).Value;

    /// <summary>The folder of <paramref name="variant"/> under <see cref="Root"/> (its <see cref="Name"/> unless named), written unless it exists.</summary>
    public string Write(TinyModelVariant variant, string? name = null)
    {
        var folder = Path.Combine(Root, name ?? Name(variant));
        lock (_writing)
        {
            if (!Directory.Exists(folder))
            {
                TinyStableDiffusion.Write(folder, variant);
            }
        }

        return folder;
    }

    public static string Name(TinyModelVariant v) =>
        $"{v.Exporter}{(v.FixedBatch1 ? "-b1" : "")}{(v.FixedTextLength ? "-t77" : "")}{(v.Lcm ? "-lcm" : "")}{(v.Inpainting ? "-inpaint" : "")}{(v.InstructPix2Pix ? "-ip2p" : "")}" +
        $"{(v.Fp16 ? "-fp16" : "")}{(v.Sd2Tokenizer ? "-sd2" : "")}{(v.IsXl ? "-xl" + v.Xl : "")}{(v.Turbo ? "-turbo" : "")}{(v.FixedFp16Vae ? "-vaefix" : "")}-x{v.Scale}-s{v.Seed}";

    public void Dispose()
    {
        foreach (var model in _models.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
