namespace WebStudio.Generation.Models;

/// <summary>How sessions are created. Bound from the "Generation" section of appsettings.json by the web app.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Try ONNX Runtime's CUDA provider first (falls back to CPU, with the reason logged).</summary>
    public bool UseCuda { get; init; } = true;

    public int CudaDeviceId { get; init; }

    /// <summary>Try ONNX Runtime's TensorRT provider before CUDA (TensorRT, then CUDA, then CPU, each fall-back with
    /// its reason logged). Off by default: TensorRT builds an engine per graph and shape on first use.</summary>
    public bool UseTensorRt { get; init; }

    /// <summary>Where TensorRT keeps the engines it builds, so that a restart loads them instead of building them
    /// again (minutes for a UNet); null keeps none.</summary>
    public string? TensorRtCachePath { get; init; }

    /// <summary>Let TensorRT run layers in fp16 (faster on tensor cores; fp16-exported models are fp16 anyway).</summary>
    public bool TensorRtFp16 { get; init; }

    /// <summary>Threads per operator on CPU; 0 lets ONNX Runtime use every physical core.</summary>
    public int IntraOpThreads { get; init; }
}
