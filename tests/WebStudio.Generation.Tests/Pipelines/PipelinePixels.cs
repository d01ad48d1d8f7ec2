using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Runs a request and returns each image's pixels in [0, 1], for tests that compare pictures within a
/// tolerance rather than by hash (<see cref="ImageHash"/>).</summary>
internal static class PipelinePixels
{
    public static async Task<float[][]> RunAsync(StableDiffusionModel model, GenerationRequest request)
    {
        using var result = await new StableDiffusionPipeline(model).RunAsync(request);
        return Of(result);
    }

    public static float[][] Of(GenerationResult result) => [.. result.Images.Select(i => ImageTensors.FromImage(i.Image).Data)];
}
