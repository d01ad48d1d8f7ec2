using WebStudio.Generation.Models;
using WebStudio.Testing;
using WebStudio.Tests.Shared;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>CUDA when it works, else CPU with the reason; the same test holds on a GPU machine and on ours.</summary>
[Collection(TinyModelCollection.Name)]
public class ExecutionProviderTests(TinyModelFolders models)
{
    [Fact]
    public void Asking_for_cuda_gives_cuda_or_cpu_with_the_reason_cuda_could_not_load()
    {
        using var model = StableDiffusionModel.Load(models.Write(TinyModelVariant.DiffusersScript, "provider-probe"), new ModelLoadOptions { UseCuda = true });

        if (model.Provider == ExecutionProviders.Cuda)
        {
            Assert.Null(ExecutionProviders.CudaFailure);
            return;
        }

        Assert.Equal(ExecutionProviders.Cpu, model.Provider);
        // Where ORT's CUDA provider library is present (the Gpu package restores it), the reason names the library
        // that failed to load (here libcublasLt.so.13: no CUDA 13), found before ORT tried and logged its own error.
        var reason = ExecutionProviders.CudaFailure;
        Assert.False(string.IsNullOrWhiteSpace(reason), "CPU was chosen without a reason");
        Assert.Matches(@"\.so|\.dll|CUDA|provider", reason);
    }

    [Fact]
    [Trait("Capability", "UserModels")]
    public void Asking_for_tensorrt_falls_back_to_cuda_then_cpu_and_logs_each_reason()
    {
        using var cache = new TempFolder();
        var logger = new RecordingLogger();
        var options = new ModelLoadOptions { UseTensorRt = true, TensorRtCachePath = cache.Path };
        using var unet = OnnxComponent.Load(models.Write(TinyModelVariant.DiffusersScript, "tensorrt-probe"), "unet", options, logger);

        if (unet.Provider == ExecutionProviders.TensorRt)
        {
            Assert.Null(ExecutionProviders.TensorRtFailure);
            return;
        }

        // Here (no TensorRT, no CUDA 13) the chain ends on the CPU, and its log line names both reasons.
        var reason = ExecutionProviders.TensorRtFailure;
        Assert.False(string.IsNullOrWhiteSpace(reason), "TensorRT was passed over without a reason");
        Assert.Matches(@"\.so|\.dll|TensorRT|CUDA|provider", reason);
        Assert.Equal(ExecutionProviders.TensorRtFailure, ExecutionProviders.CheckTensorRt(0));
        var line = Assert.Single(logger.Entries, e => e.Message.StartsWith("ONNX Runtime execution provider:", StringComparison.Ordinal)).Message;
        Assert.Contains($"TensorRT unavailable: {reason}", line);
        if (unet.Provider == ExecutionProviders.Cpu)
        {
            Assert.Contains($"CUDA unavailable: {ExecutionProviders.CudaFailure}", line);
        }
    }

    // dlerror's words as .NET passes them on: the first from a GPU machine with CUDA 13 and cuDNN 9, where the CUDA
    // provider then ran; the second from this CPU-only one.
    [Theory]
    [Trait("Capability", "UserModels")]
    [InlineData("Unable to load shared library 'libonnxruntime_providers_cuda.so' or one of its dependencies.\n" +
        "/app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so: undefined symbol: Provider_GetHost", true)]
    [InlineData("Unable to load shared library 'libonnxruntime_providers_cuda.so' or one of its dependencies.\n" +
        "libcublasLt.so.13: cannot open shared object file: No such file or directory", false)]
    [InlineData("Unable to load shared library 'libonnxruntime_providers_tensorrt.so' or one of its dependencies.\n" +
        "libnvinfer.so.10: cannot open shared object file: No such file or directory", false)]
    public void A_provider_library_that_stops_only_at_the_symbol_onnx_runtime_provides_is_left_to_onnx_runtime(string loadError, bool leftToOrt)
    {
        var verdict = ExecutionProviders.ProbeVerdict(loadError);

        if (leftToOrt)
        {
            Assert.Null(verdict);
        }
        else
        {
            Assert.Equal(loadError, verdict);
        }
    }
}
