using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;
using Xunit.Abstractions;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>The admission estimate of a run's peak memory (issue 16, finding 4), read from real model folders.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "Hardening")]
public class MemoryEstimateTests(TinyModelFolders models, ITestOutputHelper output)
{
    private const long GiB = 1L << 30;

    [Fact]
    public void The_built_in_models_folder_gives_its_attention_layout_and_precision()
    {
        var shapes = ModelShapes.Read(BuiltInModelFolder());

        Assert.Equal((8, 4, 32, 1, 4, 1, false, false, 4), (shapes.VaeScaleFactor, shapes.AttentionHeads, shapes.UNetChannels,
            shapes.FirstAttentionLevel, shapes.ElementBytes, shapes.LayersPerBlock, shapes.OnlyCrossAttention, shapes.VaeMidAttention, shapes.LatentChannels));
        Assert.Equal(ModelCache.EstimateBytes(BuiltInModelFolder()), shapes.WeightBytes);
    }

    [Fact]
    public void The_issue_request_on_the_built_in_model_needs_a_64_GiB_attention_map_counted_five_times()
    {
        var shapes = ModelShapes.Read(BuiltInModelFolder());

        var issue = MemoryEstimate.Of(shapes, 2048, 2048, 8, 7f);
        var native = MemoryEstimate.Of(shapes, 128, 128, 1, 7f);
        output.WriteLine($"built-in 2048²×8: {issue.Total:N0} bytes ({issue}); 128²×1: {native.Total:N0} bytes ({native})");

        // (2048/8/2)² tokens, squared, × 4 heads × 8 images × 2 (CFG) × 4 bytes: what the worker tried to allocate.
        Assert.Equal(64 * GiB, issue.AttentionMap);
        Assert.Equal(5 * 64 * GiB, issue.AttentionPeak);
        Assert.InRange(issue.Total, 320 * GiB, 328 * GiB);
        Assert.InRange(native.Total, shapes.WeightBytes, shapes.WeightBytes + 64L * 1024 * 1024);
    }

    [Fact]
    public void The_tiny_models_folder_says_one_head_of_cross_attention_only_and_its_estimate_is_modest()
    {
        var shapes = ModelShapes.Read(models.Write(TinyModelVariant.DiffusersScript));
        Assert.Equal((1, 0, true, 32, 16, false), (shapes.AttentionHeads, shapes.FirstAttentionLevel, shapes.OnlyCrossAttention,
            shapes.UNetChannels, shapes.VaeChannels, shapes.VaeMidAttention));

        var issue = MemoryEstimate.Of(shapes, 2048, 2048, 8, 7f);
        var small = MemoryEstimate.Of(shapes, 128, 128, 1, 7f);
        output.WriteLine($"tiny 2048²×8: {issue.Total:N0} bytes ({issue}); 128²×1: {small.Total:N0} bytes ({small})");

        // Cross-attention only: 65,536 tokens × 77 text tokens × 1 head × 16 rows × 4 bytes.
        Assert.Equal(65_536L * 77 * 16 * 4, issue.AttentionMap);
        Assert.InRange(issue.Total, 1 * GiB, 4 * GiB);
        Assert.True(small.Total < 64L * 1024 * 1024, $"{small.Total:N0}");
    }

    [Fact]
    public void A_float16_unet_halves_the_activations()
    {
        var half = ModelShapes.Read(models.Write(TinyModelVariant.Half));
        var full = ModelShapes.Read(models.Write(TinyModelVariant.DiffusersScript));
        Assert.Equal((2, 4), (half.ElementBytes, full.ElementBytes));

        var (a, b) = (MemoryEstimate.Of(half, 512, 512, 2, 7f), MemoryEstimate.Of(full, 512, 512, 2, 7f));
        Assert.Equal(b.AttentionMap, 2 * a.AttentionMap);
        Assert.Equal(b.UNetActivations, 2 * a.UNetActivations);
    }

    [Fact]
    public void A_folder_without_configs_is_weighed_as_SD_15_with_attention_at_full_latent_resolution()
    {
        var folder = Path.Combine(models.Root, "bare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model_index.json"), """{"_class_name":"OnnxStableDiffusionPipeline"}""");

        var shapes = ModelShapes.Read(folder);

        Assert.Equal((8, 320, 8, 0, false, true, 256), (shapes.AttentionHeads, shapes.UNetChannels, shapes.VaeScaleFactor,
            shapes.FirstAttentionLevel, shapes.OnlyCrossAttention, shapes.VaeMidAttention, shapes.VaeChannels));
        // SD 1.5 at 512×512 with CFG: 4096² × 8 heads × 2 × 4 bytes = 1 GiB of attention scores.
        Assert.Equal(1 * GiB, MemoryEstimate.Of(shapes, 512, 512, 1, 7f).AttentionMap);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_estimate_grows_with_the_batch_and_the_VAE_decode_does_not(bool builtIn)
    {
        var shapes = Shapes(builtIn);
        var previous = MemoryEstimate.Of(shapes, 512, 512, 1, 7f);
        for (var batch = 2; batch <= GenerationRequest.MaxBatch; batch++)
        {
            var next = MemoryEstimate.Of(shapes, 512, 512, batch, 7f);
            Assert.True(next.Total > previous.Total, $"batch {batch}: {next.Total:N0} ≤ {previous.Total:N0}");
            Assert.Equal(previous.VaeDecode, next.VaeDecode); // one image at a time, whatever the batch
            Assert.Equal(batch * previous.AttentionMap / (batch - 1), next.AttentionMap);
            previous = next;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_estimate_grows_with_the_size_and_self_attention_with_its_square(bool builtIn)
    {
        // From 256 on, the built-in model's self-attention map (64+ tokens) outgrows its cross-attention (77 text tokens).
        var shapes = Shapes(builtIn);
        var previous = MemoryEstimate.Of(shapes, 256, 256, 2, 7f);
        foreach (var side in new[] { 512, 1024, 2048 })
        {
            var next = MemoryEstimate.Of(shapes, side, side, 2, 7f);
            Assert.True(next.Total > previous.Total, $"{side}: {next.Total:N0} ≤ {previous.Total:N0}");
            Assert.Equal(4 * previous.VaeDecode, next.VaeDecode); // four times the pixels (neither VAE has attention)
            // Twice the side: four times the tokens; the self-attention map (built-in) sixteen times, cross-attention four.
            Assert.Equal((builtIn ? 16 : 4) * previous.AttentionMap, next.AttentionMap);
            previous = next;
        }
    }

    [Fact]
    public void Guidance_doubles_the_UNet_batch_but_not_the_latents_or_the_decode()
    {
        var shapes = Shapes(builtIn: true);
        var guided = MemoryEstimate.Of(shapes, 512, 512, 4, 7f);
        var unguided = MemoryEstimate.Of(shapes, 512, 512, 4, 1f);

        Assert.Equal(2 * unguided.AttentionMap, guided.AttentionMap);
        Assert.Equal(2 * unguided.UNetActivations, guided.UNetActivations);
        Assert.Equal((unguided.Latents, unguided.VaeDecode, unguided.Weights), (guided.Latents, guided.VaeDecode, guided.Weights));
    }

    // What the SDXL-sized synthetic VAE decoder (SD's VAE, run in float32) grew the process by on CPU, VmHWM over one
    // decode in a fresh session (the benchmarks' vae-decode): the estimate holds it, without counting it twice over.
    [Theory]
    [Trait("Capability", "UserModels")]
    [InlineData(512, 0, 1.36)]
    [InlineData(768, 0, 4.49)]
    [InlineData(1024, 0, 9.8)]
    [InlineData(1024, 512, 2.7)]
    [InlineData(1024, 256, 0.5)]
    public void The_VAE_estimate_holds_what_an_SD_sized_decode_measured_on_the_CPU(int side, int tileSize, double measuredGb)
    {
        var shapes = new ModelShapes { VaeChannels = 256, VaeMidAttention = true, VaeUpcast = true, VaeTileSize = tileSize };

        var estimate = MemoryEstimate.Of(shapes, side, side, 1, 5f).VaeDecode;

        Assert.InRange(estimate / 1e9, measuredGb, measuredGb * 1.5);
    }

    // The SDXL-sized synthetic model (its folder's figures) on the CPU provider, and what whole `sdxl` runs measured
    // there (peak RSS of the process; 1024² with whole decodes was killed at 24.4 GB on a 24 GB machine).
    [Theory]
    [Trait("Capability", "UserModels")]
    [InlineData(512, 0, 19.0)]
    [InlineData(1024, 0, 24.4)]
    [InlineData(1024, 512, 23.5)]
    public void The_SDXL_sized_model_on_the_CPU_is_estimated_at_no_less_than_its_measured_peak(int side, int tileSize, double measuredGb)
    {
        var sdxl = new ModelShapes
        {
            UNetChannels = 320, LayersPerBlock = 2, AttentionHeads = 10, FirstAttentionLevel = 1, ElementBytes = 2,
            WeightBytes = 6_938_648_761, VaeChannels = 256, VaeUpcast = true,
        };

        var estimate = MemoryEstimate.Of(sdxl.As(onCpu: true, tileSize), side, side, 1, 5f).Total;

        Assert.InRange(estimate / 1e9, measuredGb, measuredGb * 1.2);
    }

    [Theory]
    [InlineData(2048, 2048, 8, 8)]
    [InlineData(2048, 1024, 8, 4)]
    [InlineData(1024, 2048, 3, 2)]
    public void The_largest_batch_and_size_that_fit_fit_and_one_more_does_not(int width, int height, int batch, long limitGiB)
    {
        var shapes = Shapes(builtIn: true);
        var limit = limitGiB * GiB;

        var largestBatch = MemoryEstimate.LargestBatch(shapes, width, height, batch, 7f, limit);
        if (largestBatch > 0)
        {
            Assert.True(MemoryEstimate.Of(shapes, width, height, largestBatch, 7f).Total <= limit);
        }

        if (largestBatch < batch)
        {
            Assert.True(MemoryEstimate.Of(shapes, width, height, largestBatch + 1, 7f).Total > limit);
        }

        var size = MemoryEstimate.LargestSize(shapes, width, height, batch, 7f, limit);
        Assert.NotNull(size);
        var (w, h) = size.Value;
        Assert.True(MemoryEstimate.Of(shapes, w, h, batch, 7f).Total <= limit);
        var step = shapes.SizeMultiple; // 32 for the built-in model
        Assert.True(w % step == 0 && h % step == 0 && w <= width && h <= height, $"{w}×{h}");
        Assert.Equal(width >= height, w >= h); // the aspect ratio is kept
        if ((w, h) == (width, height))
        {
            return;
        }

        var longer = Math.Max(w, h) + step;
        var bigger = width >= height ? (longer, Math.Max(64, height * longer / width / step * step)) : (Math.Max(64, width * longer / height / step * step), longer);
        Assert.True(MemoryEstimate.Of(shapes, bigger.Item1, bigger.Item2, batch, 7f).Total > limit, $"{bigger} fits too");
    }

    private ModelShapes Shapes(bool builtIn) =>
        ModelShapes.Read(builtIn ? BuiltInModelFolder() : models.Write(TinyModelVariant.DiffusersScript));

    // The repository's models/webstudio-shapes, found from the test binaries (tests/<project>/bin/...).
    private static string BuiltInModelFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return Path.Combine(dir.FullName, "models", "webstudio-shapes");
            }
        }

        throw new InvalidOperationException($"No WebStudio.sln above {AppContext.BaseDirectory}.");
    }
}
