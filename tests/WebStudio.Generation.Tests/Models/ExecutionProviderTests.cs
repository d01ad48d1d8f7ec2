using WebStudio.Generation.Models;
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
}
