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

    /// <summary>Run the UNet through an ONNX Runtime IOBinding made once per job (<see cref="UNetRun"/>): the text
    /// conditioning is bound once (uploaded once on CUDA) and the output lands in one buffer per job. The scheduler
    /// runs on the CPU, so the sample still goes up and the noise prediction comes down every step. On by default:
    /// the images are bit-identical either way (IoBindingTests, on every tiny export), and on the CPU the built-in
    /// model's steps take the same time within noise with fewer bytes allocated per run (the <c>iobinding</c>
    /// benchmark: 4.18 vs 4.25 ms per step at 128², 23.1 vs 23.4 at 256² batch 2; 0.83 vs 0.99 and 4.1 vs 5.3 MB per
    /// run). The GPU figures are the sd15/sdxl benchmarks' <c>--iobinding on|off</c>.</summary>
    public bool IoBinding { get; init; } = true;

    /// <summary>Ask for ONNX Runtime's CUDA graph on the UNet's CUDA InferenceSession. Not used yet: ORT replays a captured
    /// graph on fixed device addresses and one shape, while a job's binding rebinds the sample from host memory each
    /// step and concurrent jobs of different sizes share the InferenceSession. The UNet says so in the log at load and runs on
    /// the plain CUDA provider (<see cref="CudaGraphSupport"/>).</summary>
    public bool CudaGraph { get; init; }

    /// <summary>ONNX Runtime's CPU memory arena: true or false for every graph; null (the default) keeps it for graphs
    /// under <see cref="ExecutionProviders.ArenaWeightLimit"/> of weights and turns it off above. The arena keeps what
    /// it has grown to and grows by doubling, which on an SDXL-sized UNet at 1024² took the process past 24 GB (out of
    /// memory), while without it the same run peaked at 20.9 GB; on a small model it saves allocations per step.</summary>
    public bool? CpuMemArena { get; init; }

    /// <summary>Decode and encode in tiles of this many pixels a side (overlapping by a quarter, blended as diffusers
    /// does: <see cref="VaeTiling"/>) every image with a side larger than one tile; 0 (the default) runs the VAE on whole
    /// images. The VAE's memory then follows the tile rather than the image, at the cost of a little time and of tiles
    /// that see only their own part of the picture.</summary>
    public int VaeTileSize { get; init; }

    /// <summary>Where the graphs' native work on the CPU runs: on these threads, below the process's priority, while
    /// the caller waits; null runs it on the caller (as it does a graph on a GPU).</summary>
    public ComputeThreads? Compute { get; init; }
}
