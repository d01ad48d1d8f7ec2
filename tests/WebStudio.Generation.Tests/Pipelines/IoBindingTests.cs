using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Pipelines.PipelineVariantTests;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>The UNet run through a per-job IOBinding (Generation:IoBinding) draws exactly what plain runs draw, on
/// every shape of export the pipeline meets, and makes its bindings once per job.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "UserModels")]
public class IoBindingTests(TinyModelFolders models)
{
    private static readonly GenerationRequest Request = new()
    {
        Prompt = "a red circle", NegativePrompt = "blue", Steps = 4, Guidance = 7, Width = 64, Height = 64, Seed = 31, Scheduler = "Euler a", BatchSize = 2,
    };

    public static TheoryData<string> Variants() =>
    [
        "fp32 int64 timestep", "fp32 rank-0 float timestep", "fp32 float timestep", "fp16", "fp16 rank-0 LCM", "LCM", "SDXL", "SDXL batch 1",
        "batch 1", "inpainting", "instruction edit",
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_same_request_draws_bit_identical_images_with_and_without_the_binding(string variantName)
    {
        var variant = Variant(variantName);
        using var source = ImageEditingTests.Source();
        using var mask = ImageEditingTests.CentreMask();
        var request = variant.Inpainting ? Request with { InitImage = source, Mask = mask, Strength = 1f }
            : variant.InstructPix2Pix ? Request with { InitImage = source, InstructionEdit = new() }
            : Request;

        var (bound, unbound) = await BothWays(variant, request);

        Assert.Equal(unbound, bound);
    }

    [Theory]
    [InlineData(nameof(TinyModelVariant.DiffusersScript))]
    [InlineData(nameof(TinyModelVariant.FixedBatch))]
    public async Task A_long_prompt_beside_a_short_negative_prompt_draws_the_same_with_and_without_the_binding(string variantName)
    {
        // 154 tokens against 77: the prompts cannot share a batch and run as one call each (or one per row at batch 1).
        var variant = variantName == nameof(TinyModelVariant.FixedBatch) ? TinyModelVariant.FixedBatch : TinyModelVariant.DiffusersScript;
        var (bound, unbound) = await BothWays(variant, Request with { Prompt = "a red circle BREAK a green star" });

        Assert.Equal(unbound, bound);
    }

    [Fact]
    public async Task An_edited_prompt_draws_the_same_with_and_without_the_binding()
    {
        var (bound, unbound) = await BothWays(TinyModelVariant.DiffusersScript, Request with { Prompt = "a [red:green:0.5] circle", Steps = 6 });

        Assert.Equal(unbound, bound);
    }

    [Fact]
    public async Task A_run_makes_its_binding_once_and_feeds_every_step_through_it()
    {
        using var model = Load(TinyModelVariant.DiffusersScript, ioBinding: true);
        var pipeline = new StableDiffusionPipeline(model);

        using (await pipeline.RunAsync(Request))
        {
        }

        // Batched CFG: one binding for the job, one call per step; released when the job ended.
        Assert.Equal(1, model.UNet.IoBindingsMade);
        Assert.Equal(Request.Steps, model.UNet.CallsThroughIoBinding);
        Assert.Equal(0, model.UNet.IoBindingsLive);

        using (await pipeline.RunAsync(Request with { Seed = 32 }))
        {
        }

        // A job's binding is its own: the next job makes another.
        Assert.Equal(2, model.UNet.IoBindingsMade);
        Assert.Equal(2 * Request.Steps, model.UNet.CallsThroughIoBinding);
        Assert.Equal(0, model.UNet.IoBindingsLive);
    }

    [Fact]
    public async Task A_job_stopped_by_its_callback_releases_its_binding()
    {
        using var model = Load(TinyModelVariant.DiffusersScript, ioBinding: true);

        await Assert.ThrowsAsync<OperationCanceledException>(() => new StableDiffusionPipeline(model).RunAsync(Request, new StopAfter(2)));

        Assert.Equal(1, model.UNet.IoBindingsMade);
        Assert.Equal(2, model.UNet.CallsThroughIoBinding);
        Assert.Equal(0, model.UNet.IoBindingsLive);
    }

    [Fact]
    public async Task Concurrent_jobs_on_one_model_each_use_their_own_binding_and_draw_what_they_draw_alone()
    {
        using var model = Load(TinyModelVariant.DiffusersScript, ioBinding: true);
        var pipeline = new StableDiffusionPipeline(model);
        var requests = Enumerable.Range(0, 4).Select(i => Request with { Seed = 40 + i, Prompt = i % 2 == 0 ? "a red circle" : "a green star BREAK a square" }).ToArray();
        var alone = new List<string[]>();
        foreach (var request in requests)
        {
            using var result = await pipeline.RunAsync(request);
            alone.Add(Hashes(result));
        }

        var together = await Task.WhenAll(requests.Select(async r =>
        {
            using var result = await pipeline.RunAsync(r);
            return Hashes(result);
        }));

        Assert.Equal(alone, together);
        Assert.Equal(0, model.UNet.IoBindingsLive);
    }

    [Fact]
    public async Task A_batch_1_UNet_keeps_one_binding_per_prompt_for_the_whole_run()
    {
        using var model = Load(TinyModelVariant.FixedBatch, ioBinding: true);

        using (await new StableDiffusionPipeline(model).RunAsync(Request))
        {
        }

        // CFG as batch-1 calls: the prompt's and the negative prompt's text each keep a binding; 2 images × 2 texts per step.
        Assert.Equal(2, model.UNet.IoBindingsMade);
        Assert.Equal(Request.Steps * Request.BatchSize * 2, model.UNet.CallsThroughIoBinding);
    }

    [Fact]
    public async Task Without_the_binding_no_binding_is_made()
    {
        using var model = Load(TinyModelVariant.DiffusersScript, ioBinding: false);
        var rowsBefore = model.UNet.RowsEvaluated;

        using (await new StableDiffusionPipeline(model).RunAsync(Request))
        {
        }

        Assert.Equal(0, model.UNet.IoBindingsMade);
        Assert.Equal(0, model.UNet.CallsThroughIoBinding);
        Assert.Equal(Request.Steps * Request.BatchSize * 2, model.UNet.RowsEvaluated - rowsBefore);
    }

    [Fact]
    public void The_binding_is_on_unless_switched_off()
    {
        Assert.True(new ModelLoadOptions().IoBinding);
        Assert.False(new ModelLoadOptions().CudaGraph);
        using var model = Load(TinyModelVariant.DiffusersScript, ioBinding: false);
        Assert.False(model.UNet.IoBinding);
    }

    [Fact]
    public async Task The_cuda_graph_option_without_cuda_loads_on_the_cpu_and_logs_why()
    {
        var logger = new RecordingLogger();
        using var model = StableDiffusionModel.Load(models.Write(TinyModelVariant.DiffusersScript, "cuda-graph-probe"),
            new ModelLoadOptions { UseCuda = true, CudaGraph = true }, logger);

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Generation:CudaGraph", StringComparison.Ordinal)).Message;
        if (model.Provider == ExecutionProviders.Cpu)
        {
            // Here (no CUDA 13): the UNet is on the CPU, and the line gives CUDA's own reason.
            Assert.Contains("runs on the CPU", warning);
            Assert.Contains(ExecutionProviders.CudaFailure!, warning);
        }
        else
        {
            Assert.Contains($"plain {model.Provider} provider", warning);
        }

        // It still draws, and as a load without the option does.
        using var plain = Load(TinyModelVariant.DiffusersScript, ioBinding: true);
        using var withOption = await new StableDiffusionPipeline(model).RunAsync(Request);
        using var without = await new StableDiffusionPipeline(plain).RunAsync(Request);
        Assert.Equal(Hashes(without), Hashes(withOption));
    }

    [Fact]
    public void A_model_loaded_without_the_cuda_graph_option_logs_nothing_about_it()
    {
        var logger = new RecordingLogger();
        using var model = StableDiffusionModel.Load(models.Write(TinyModelVariant.DiffusersScript), new ModelLoadOptions { UseCuda = false }, logger);

        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("CudaGraph", StringComparison.Ordinal));
    }

    private async Task<(string[] Bound, string[] Unbound)> BothWays(TinyModelVariant variant, GenerationRequest request)
    {
        using var bound = Load(variant, ioBinding: true);
        using var unbound = Load(variant, ioBinding: false);
        using var withBinding = await new StableDiffusionPipeline(bound).RunAsync(request);
        using var withoutBinding = await new StableDiffusionPipeline(unbound).RunAsync(request);

        // The binding was really used, every step, and the plain path really was not.
        Assert.True(bound.UNet.CallsThroughIoBinding >= request.Steps, $"{bound.UNet.CallsThroughIoBinding} calls went through a binding");
        Assert.Equal(0, unbound.UNet.CallsThroughIoBinding);
        Assert.Equal(unbound.UNet.RowsEvaluated, bound.UNet.RowsEvaluated);
        return (Hashes(withBinding), Hashes(withoutBinding));
    }

    private StableDiffusionModel Load(TinyModelVariant variant, bool ioBinding) =>
        StableDiffusionModel.Load(models.Write(variant), new ModelLoadOptions { UseCuda = false, IoBinding = ioBinding });

    private static string[] Hashes(GenerationResult result) => [.. result.Images.Select(i => Hash(i.Image))];

    private static TinyModelVariant Variant(string name) => name switch
    {
        "fp32 int64 timestep" => TinyModelVariant.DiffusersScript,
        "fp32 rank-0 float timestep" => TinyModelVariant.Optimum,
        "fp32 float timestep" => TinyModelVariant.OnnxStack,
        "fp16" => TinyModelVariant.Half,
        "fp16 rank-0 LCM" => TinyModelVariant.Optimum with { Fp16 = true, Lcm = true },
        "LCM" => TinyModelVariant.LatentConsistency,
        "SDXL" => TinyModelVariant.SdxlBase,
        "SDXL batch 1" => TinyModelVariant.SdxlBase with { FixedBatch1 = true },
        "batch 1" => TinyModelVariant.FixedBatch,
        "inpainting" => TinyModelVariant.Inpaint,
        "instruction edit" => TinyModelVariant.InstructEdit,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private sealed class StopAfter(int steps) : IStepCallback
    {
        public bool OnStep(StepProgress progress) => progress.StepIndex + 1 < steps;
    }
}
