using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;

namespace WebStudio.Studio.Options;

/// <summary>The "Generation" section of appsettings.json.</summary>
public sealed class GenerationOptions
{
    public const string Section = "Generation";

    /// <summary>Folder whose sub-folders are model folders; relative paths resolve against the current directory.</summary>
    public string ModelsPath { get; set; } = "./models";

    /// <summary>The model the Generate page selects first.</summary>
    public string DefaultModel { get; set; } = "webstudio-shapes";

    public bool UseCuda { get; set; } = true;

    public int CudaDeviceId { get; set; }

    /// <summary>Try ONNX Runtime's TensorRT provider first (then CUDA, then CPU, each fall-back logged with its reason).</summary>
    public bool UseTensorRt { get; set; }

    /// <summary>Where TensorRT keeps its built engines across restarts; relative paths resolve against the current directory.</summary>
    public string TensorRtCache { get; set; } = "./data/tensorrt-cache";

    /// <summary>Let TensorRT run layers in fp16.</summary>
    public bool TensorRtFp16 { get; set; } = true;

    /// <summary>Threads per ONNX operator on CPU; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>The nice value (0..19, Linux) of the threads that run and load models on the CPU
    /// (<see cref="ComputeThreads"/>), so that the server's own short work (requests, previews, lease renewals, the next
    /// claim) does not queue behind a generation that fills the cores. The model still gets every core nothing else
    /// wants; a model on a GPU runs at full priority. 0 runs them at the process's priority.</summary>
    public int ComputeNice { get; set; } = 10;

    /// <summary>Run the UNet through an IOBinding per job (<see cref="ModelLoadOptions.IoBinding"/>).</summary>
    public bool IoBinding { get; set; } = true;

    /// <summary>Decode and encode images with a side larger than this many pixels in overlapping tiles of that side (a
    /// multiple of 8, at least 64), so that the VAE's memory follows the tile; 0 (the default) runs the VAE on whole
    /// images. Memory estimates count the tile (<see cref="ModelLoadOptions.VaeTileSize"/>).</summary>
    public int VaeTileSize { get; set; }

    /// <summary>Ask for ONNX Runtime's CUDA graph on the UNet (not applied yet; the log says why: <see cref="CudaGraphSupport"/>).</summary>
    public bool CudaGraph { get; set; }

    /// <summary>ONNX Runtime's CPU memory arena (<see cref="ModelLoadOptions.CpuMemArena"/>): unset keeps it for graphs
    /// under 2 GiB of weights and turns it off for bigger ones.</summary>
    public bool? CpuMemArena { get; set; }

    /// <summary>Models kept loaded at once (least recently used is dropped).</summary>
    public int MaxLoadedModels { get; set; } = 2;

    /// <summary>Most megabytes of model files kept loaded (least recently used is dropped); 0 = no budget.</summary>
    public long ModelMemoryBudgetMB { get; set; } = 8192;

    /// <summary>Most megabytes one job may need (Engine/JobMemoryAdmission): a job estimated above it is refused at
    /// submission. 0 = derive it: with CUDA the device's total memory as its driver reports it (<see cref="ModelMemoryBudgetMB"/>
    /// where it cannot be read), on CPU the machine's memory.</summary>
    public long JobMemoryLimitMB { get; set; }

    /// <summary>What draws the denoising previews: <c>Auto</c> (a tiny autoencoder, TAESD, where the model folder has
    /// vae_approx/ or <see cref="PreviewDecoders"/> names one for its family; the latent→RGB projection otherwise),
    /// <c>Projection</c>, or <c>Vae</c> (the model's full decoder).</summary>
    public string PreviewDecoder { get; set; } = "Auto";

    /// <summary>A fresh preview frame every this many steps (and on the last); the steps between repeat the last one.</summary>
    public int PreviewEvery { get; set; } = 1;

    /// <summary>The least time between two preview pictures sent to one watcher, in milliseconds; 0 sends every frame.
    /// A small model finishes a step every few milliseconds, far more often than anyone can follow, and each frame is
    /// encoded, serialised and sent on the cores that denoise (A1111 refreshes its live preview once a second by
    /// default). Pictures are drawn at most twice per interval, and only while someone watches. Status changes and the first
    /// picture are sent at once; the OpenAI API's partial images are not paced.</summary>
    public int PreviewIntervalMs { get; set; } = 100;

    /// <summary>Per model family (<c>sd</c>, <c>sdxl</c>), a folder holding a TAESD / TAESDXL decoder's model.onnx, for
    /// models without a vae_approx/ of their own. Relative paths resolve against the current directory.</summary>
    public Dictionary<string, string?> PreviewDecoders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The preview settings as the generation core takes them (<see cref="GenerationOptionsValidation"/> has
    /// checked them at start-up; this throws <see cref="ArgumentException"/> naming each bad key otherwise).</summary>
    public PreviewOptions Previews() => PreviewOptions.Parse(PreviewDecoder, PreviewEvery, PreviewDecoders);

    /// <summary>How the generation core creates its sessions, from these settings.</summary>
    public ModelLoadOptions LoadOptions() => new()
    {
        UseCuda = UseCuda,
        CudaDeviceId = CudaDeviceId,
        IntraOpThreads = IntraOpThreads,
        UseTensorRt = UseTensorRt,
        TensorRtCachePath = string.IsNullOrWhiteSpace(TensorRtCache) ? null : TensorRtCache,
        TensorRtFp16 = TensorRtFp16,
        IoBinding = IoBinding,
        CudaGraph = CudaGraph,
        CpuMemArena = CpuMemArena,
        VaeTileSize = VaeTileSize,
    };

    /// <summary>
    /// Whether memory estimates (the check at submission, the models page) count models as ONNX Runtime's CPU provider
    /// holds them: CUDA switched off, or unusable in this process (checked once, in milliseconds) with no
    /// <see cref="JobMemoryLimitMB"/> set. A web node in front of GPU workers sets that limit for its workers' devices:
    /// its own lack of CUDA says nothing about theirs.
    /// </summary>
    public bool EstimatesForCpu() => !UseCuda || (JobMemoryLimitMB <= 0 && ExecutionProviders.CheckCuda(CudaDeviceId) is not null);

    /// <summary>These settings with <see cref="CudaDeviceId"/> set to <paramref name="device"/> (Worker:Devices).</summary>
    public GenerationOptions ForDevice(int device)
    {
        var copy = (GenerationOptions)MemberwiseClone();
        copy.CudaDeviceId = device;
        return copy;
    }
}
