using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>
/// ONNX Runtime's CPU arena (Generation:CpuMemArena): kept for small graphs, off for big ones (an SDXL-sized UNet at
/// 1024² ran out of 24 GB with it), or as configured; images are the same either way.
/// </summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "UserModels")]
public class CpuMemArenaTests(TinyModelFolders models)
{
    [Theory]
    [InlineData(null, 200L << 20, true)] // a text encoder, SD 1.5's fp16 UNet (1.7 GB): kept
    [InlineData(null, (2L << 30) - 1, true)]
    [InlineData(null, 2L << 30, false)] // SD 1.5's fp32 UNet (3.4 GB), SDXL's fp16 UNet (5.1 GB): off
    [InlineData(true, 5L << 30, true)]
    [InlineData(false, 1L << 20, false)]
    public void The_arena_is_kept_for_small_graphs_and_dropped_for_big_ones_unless_configured(bool? configured, long weightBytes, bool expected) =>
        Assert.Equal(expected, ExecutionProviders.UsesCpuArena(new ModelLoadOptions { CpuMemArena = configured }, weightBytes));

    [Fact]
    public async Task A_model_loaded_without_the_arena_draws_the_same_image()
    {
        var folder = models.Write(TinyModelVariant.DiffusersScript, "arena");
        using var withArena = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false });
        using var without = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, CpuMemArena = false });
        Assert.True(withArena.UNet.CpuMemArena, "a tiny UNet keeps the arena by default");
        Assert.False(without.UNet.CpuMemArena);

        var request = new GenerationRequest { Prompt = "a red circle", Steps = 4, Seed = 5, Width = 64, Height = 64 };
        using var a = await new StableDiffusionPipeline(withArena).RunAsync(request);
        using var b = await new StableDiffusionPipeline(without).RunAsync(request);

        Assert.Equal(ImageHash.Hash(a), ImageHash.Hash(b));
    }
}
