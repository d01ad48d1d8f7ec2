namespace WebStudio.Studio.ModelManagement;

/// <summary>What makes a folder a model the studio can run: the ONNX Stable Diffusion layout that optimum and
/// diffusers export (model_index.json and unet/model.onnx at its root).</summary>
public static class OnnxModelLayout
{
    public const string Index = "model_index.json";

    public const string UNet = "unet/model.onnx";

    /// <summary>Whether the relative paths (with '/') hold the layout.</summary>
    public static bool Has(IEnumerable<string> relativePaths)
    {
        var paths = relativePaths.ToHashSet(StringComparer.Ordinal);
        return paths.Contains(Index) && paths.Contains(UNet);
    }

    public static bool Has(string folder) =>
        File.Exists(Path.Combine(folder, Index)) && File.Exists(Path.Combine(folder, "unet", "model.onnx"));

    /// <summary>The refusal for a source without the layout, with the conversion command.</summary>
    public static string Missing(string source, string? repo = null) =>
        $"{source} has no ONNX Stable Diffusion export ({Index} and {UNet}). Convert it first, e.g. " +
        $"`optimum-cli export onnx --model {repo ?? "<model>"} --task text-to-image <dir>`, then install <dir>.";
}
