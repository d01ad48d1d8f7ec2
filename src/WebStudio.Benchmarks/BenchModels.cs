using WebStudio.Onnx.TestModels;

namespace WebStudio.Benchmarks;

/// <summary>The model the server benchmarks run on.</summary>
public static class BenchModels
{
    /// <summary>The built-in model when ./models has it, else the largest tiny test model written under <paramref name="folder"/>.</summary>
    public static (string ModelsPath, string Model, int Native) BuiltInOrTiny(string folder)
    {
        var builtIn = Path.GetFullPath(Path.Combine("models", "webstudio-shapes"));
        if (File.Exists(Path.Combine(builtIn, "model_index.json")))
        {
            return (Path.GetDirectoryName(builtIn)!, "webstudio-shapes", 128);
        }

        var models = Path.Combine(folder, "models");
        TinyStableDiffusion.Write(Path.Combine(models, "tiny"), TinyModelVariant.Largest);
        return (models, "tiny", 64);
    }
}
