using WebStudio.Onnx.TestModels;

namespace WebStudio.Generation.Tests.Onnx;

/// <summary>
/// Named variants for theories, and one written folder per variant shared by a test class
/// (written on first use, deleted with the fixture).
/// </summary>
public sealed class TinyModelFolders : IDisposable
{
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
    };

    private readonly TempFolder _root = new();
    private readonly Dictionary<string, string> _written = [];

    public static TheoryData<string> Names => [.. Variants.Keys];

    public static TinyModelVariant Variant(string name) => Variants[name];

    public string Folder(string name)
    {
        lock (_written)
        {
            if (!_written.TryGetValue(name, out var folder))
            {
                folder = _root.Combine(name);
                TinyStableDiffusion.Write(folder, Variants[name]);
                _written[name] = folder;
            }

            return folder;
        }
    }

    public void Dispose() => _root.Dispose();
}
