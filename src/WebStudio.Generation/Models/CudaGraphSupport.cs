namespace WebStudio.Generation.Models;

/// <summary>
/// <c>Generation:CudaGraph</c> (<see cref="ModelLoadOptions.CudaGraph"/>). ONNX Runtime's CUDA graph
/// (<c>enable_cuda_graph=1</c> in <c>OrtCUDAProviderOptions</c>, beside <c>device_id</c>) captures the UNet's kernels once
/// and then replays them without looking at the feeds again. It asks for every input and output bound through an
/// IOBinding to device memory at fixed addresses, the same shapes at every replay (one graph per shape, picked with
/// the <c>gpu_graph_id</c> run option), and every node on CUDA (ORT refuses it for an InferenceSession with CPU nodes).
/// WebStudio's <see cref="UNetRun"/> rebinds the sample from host memory at each step (ORT copies it at bind time to
/// a device buffer of its choosing) and keeps its bindings per job, while an InferenceSession is shared by concurrent jobs of
/// any size; filling fixed device buffers from the host needs <c>OrtEnv.CopyTensors</c>, which works only where the
/// CUDA provider is also registered as a plugin library. None of that can be tried without a GPU, so the option is
/// not applied yet: the UNet loads on the plain provider and the model's load says why in the log.
/// </summary>
public static class CudaGraphSupport
{
    public const string NotApplied =
        "the UNet's per-job IOBinding rebinds the sample from host memory each step and jobs of any size share the InferenceSession, " +
        "while a CUDA graph replays fixed device addresses and one shape per graph; fixed per-InferenceSession device buffers filled " +
        "with OrtEnv.CopyTensors are not built (untested without a GPU)";

    /// <summary>Why the UNet of a model loaded with <paramref name="options"/> on <paramref name="provider"/> runs without
    /// a CUDA graph, or null when none was asked for.</summary>
    public static string? Explain(ModelLoadOptions options, string provider)
    {
        if (!options.CudaGraph)
        {
            return null;
        }

        return provider == ExecutionProviders.Cpu
            ? $"Generation:CudaGraph is on, but the UNet runs on the CPU ({(options.UseCuda || options.UseTensorRt ? ExecutionProviders.CudaFailure ?? "CUDA unavailable" : "CUDA disabled in configuration")}), so there is no CUDA graph"
            : $"Generation:CudaGraph is on, but the UNet runs on the plain {provider} provider without a CUDA graph: {NotApplied}";
    }
}
