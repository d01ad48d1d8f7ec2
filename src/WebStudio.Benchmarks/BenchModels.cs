namespace WebStudio.Benchmarks;

/// <summary>The model the server benchmarks run on.</summary>
public static class BenchModels
{
    /// <summary>The built-in model, which ships in the repository's ./models (run the benchmarks from its root).</summary>
    public static (string ModelsPath, string Model, int Native) BuiltIn()
    {
        var builtIn = Path.GetFullPath(Path.Combine("models", "webstudio-shapes"));
        if (!File.Exists(Path.Combine(builtIn, "model_index.json")))
        {
            throw new InvalidOperationException($"{builtIn} holds no model_index.json: run the benchmarks from the repository root");
        }

        return (Path.GetDirectoryName(builtIn)!, "webstudio-shapes", 128);
    }
}
