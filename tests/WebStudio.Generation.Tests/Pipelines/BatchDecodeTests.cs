using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>The pipeline decodes a batch one image at a time, so that the VAE's peak memory does not grow with the
/// batch (issue 16, finding 4); the pixels are the same as decoding the whole batch in one call.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "Hardening")]
public class BatchDecodeTests(TinyModelFolders models)
{
    [Theory]
    [InlineData("Euler a", 3)]
    [InlineData("DDIM", 4)]
    public async Task A_batch_decoded_one_image_at_a_time_has_the_pixels_of_the_batch_decoded_at_once(string scheduler, int batch)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var last = new LastLatents();
        var request = new GenerationRequest
        {
            Prompt = "a red circle", NegativePrompt = "blue", Steps = 5, Guidance = 7f, Seed = 21,
            Width = 96, Height = 64, Scheduler = scheduler, BatchSize = batch,
        };

        using var result = await pipeline.RunAsync(request, last);
        var whole = pipeline.DecodeLatents(last.Latents!);

        Assert.Equal(batch, whole.Batch);
        for (var b = 0; b < batch; b++)
        {
            using var atOnce = ImageTensors.ToImage(whole, b);
            Assert.Equal(PipelineVariantTests.Hash(atOnce), PipelineVariantTests.Hash(result.Images[b].Image));
        }

        Assert.NotEqual(PipelineVariantTests.Hash(result.Images[0].Image), PipelineVariantTests.Hash(result.Images[1].Image));
    }

    private sealed class LastLatents : IStepCallback
    {
        public Latents? Latents { get; private set; }

        public bool OnStep(StepProgress progress)
        {
            // A copy: the pipeline may reuse the buffer it hands over.
            Latents = progress.Latents.WithData((float[])progress.Latents.Data.Clone());
            return true;
        }
    }
}
