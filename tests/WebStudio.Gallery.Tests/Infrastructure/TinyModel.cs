using WebStudio.Onnx.TestModels;

namespace WebStudio.Gallery.Tests.Infrastructure;

/// <summary>The tiny Stable Diffusion test model "tiny" (64×64 native), written once for the whole test run and removed at its end.</summary>
public static class TinyModel
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "webstudio-gallery-tests", "models-" + Environment.ProcessId);
        TinyStableDiffusion.Write(Path.Combine(root, "tiny"), TinyModelVariant.DiffusersScript);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleanup.
            }
        };
        return root;
    });

    /// <summary>A models folder whose only model is "tiny".</summary>
    public static string ModelsPath => Folder.Value;
}
