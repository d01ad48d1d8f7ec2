namespace WebStudio.Generation.Imaging;

/// <summary>An upscaler name that is not a file of the upscalers folder.</summary>
public sealed class UpscalerNotFoundException : Exception
{
    public UpscalerNotFoundException(string name)
        : base($"Unknown upscaler '{name}'.")
    {
        UpscalerName = name;
    }

    public string UpscalerName { get; }
}
