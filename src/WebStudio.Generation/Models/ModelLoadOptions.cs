namespace WebStudio.Generation.Models;

/// <summary>How sessions are created. Bound from the "Generation" section of appsettings.json by the web app.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Try ONNX Runtime's CUDA provider first (falls back to CPU, with the reason logged).</summary>
    public bool UseCuda { get; init; } = true;

    public int CudaDeviceId { get; init; }

    /// <summary>Threads per operator on CPU; 0 lets ONNX Runtime use every physical core.</summary>
    public int IntraOpThreads { get; init; }
}
