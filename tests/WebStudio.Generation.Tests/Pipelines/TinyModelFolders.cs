using System.Collections.Concurrent;
using WebStudio.Generation.Models;
using WebStudio.Onnx.TestModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Writes each tiny test model variant once per test run and keeps it loaded for every test that needs it.</summary>
public sealed class TinyModelFolders : IDisposable
{
    private readonly ConcurrentDictionary<TinyModelVariant, Lazy<StableDiffusionModel>> _models = new();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "webstudio-tiny-" + Guid.NewGuid().ToString("N"));

    public StableDiffusionModel Load(TinyModelVariant variant) =>
        _models.GetOrAdd(variant, v => new Lazy<StableDiffusionModel>(() =>
        {
            var folder = Write(v);
            return StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false });
        })).Value;

    public string Write(TinyModelVariant variant, string? name = null)
    {
        var folder = Path.Combine(Root, name ?? Name(variant));
        if (!Directory.Exists(folder))
        {
            TinyStableDiffusion.Write(folder, variant);
        }

        return folder;
    }

    public static string Name(TinyModelVariant v) =>
        $"{v.Exporter}{(v.FixedBatch1 ? "-b1" : "")}{(v.FixedTextLength ? "-t77" : "")}{(v.Lcm ? "-lcm" : "")}{(v.Inpainting ? "-inpaint" : "")}" +
        $"{(v.Fp16 ? "-fp16" : "")}{(v.Sd2Tokenizer ? "-sd2" : "")}-x{v.Scale}-s{v.Seed}";

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

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModelFolders>
{
    public const string Name = "tiny models";
}
