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

    /// <summary>Threads per ONNX operator on CPU; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Models kept loaded at once (least recently used is dropped).</summary>
    public int MaxLoadedModels { get; set; } = 2;

    /// <summary>Most megabytes of model files kept loaded (least recently used is dropped); 0 = no budget.</summary>
    public long ModelMemoryBudgetMB { get; set; } = 8192;

    /// <summary>Most megabytes one job may need (Engine/JobMemoryAdmission): a job estimated above it is refused at
    /// submission. 0 = derive it: <see cref="ModelMemoryBudgetMB"/> with CUDA, the machine's memory on CPU.</summary>
    public long JobMemoryLimitMB { get; set; }

    /// <summary>These settings with <see cref="CudaDeviceId"/> set to <paramref name="device"/> (Worker:Devices).</summary>
    public GenerationOptions ForDevice(int device)
    {
        var copy = (GenerationOptions)MemberwiseClone();
        copy.CudaDeviceId = device;
        return copy;
    }
}
