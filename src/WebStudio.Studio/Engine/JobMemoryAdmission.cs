using System.Collections.Concurrent;
using System.Globalization;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Engine;

/// <summary>
/// Admission control: a job whose estimated peak memory (<see cref="MemoryEstimate"/>) is over the limit is refused
/// at submission, with the largest batch and size that would fit, instead of failing in the worker. Every
/// submission (Generate and Edit pages, /api, /v1) passes <see cref="IGenerationEngine.Validate"/>, which asks this.
/// </summary>
public sealed class JobMemoryAdmission(GenerationOptions options, ModelCatalog catalog)
{
    private const long Mebibyte = 1024 * 1024;

    /// <summary>The tile side a refusal suggests: diffusers' default for SD 1.x (its VAE's sample_size).</summary>
    public const int SuggestedVaeTileSize = 512;

    // Without CUDA, the CPU provider's figures: a float16 model takes about two and a half times its file size there.
    private readonly Lazy<bool> _onCpu = new(options.EstimatesForCpu);

    // Per model folder, as this process estimates it (CPU or not), with the write times it was read at: a replaced
    // model is read again.
    private readonly ConcurrentDictionary<string, (DateTime Stamp, ModelShapes Shapes)> _shapes = new(StringComparer.Ordinal);

    /// <summary>
    /// Generation:JobMemoryLimitMB when set. Otherwise, where CUDA runs, the device's total memory as its driver reports
    /// it, and Generation:ModelMemoryBudgetMB where the driver cannot be read. Total, not free: what is free changes with
    /// the models this process keeps loaded at the moment. Where jobs run on the CPU (CUDA off, or
    /// configured but unable to run, as the estimates see it), the memory the runtime may use (physical memory or the
    /// container's limit). Each is a fixed figure, so that the same request always gets the same answer.
    /// </summary>
    private long LimitBytes => options.JobMemoryLimitMB > 0 ? options.JobMemoryLimitMB * Mebibyte
        : !_onCpu.Value && CudaDeviceMemory.TotalBytes(options.CudaDeviceId) is { } device ? device
        : !_onCpu.Value && options.ModelMemoryBudgetMB > 0 ? options.ModelMemoryBudgetMB * Mebibyte
        : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Null when the job fits; else the refusal, naming the limit and what fits.</summary>
    public FieldProblem? Check(DiffusionRun p)
    {
        if (ShapesOf(p.Model) is not { } shapes)
        {
            return null;
        }

        var limit = LimitBytes;
        var refiner = p.Spec is JobSpec.Txt2Img { Refiner: { } refinerName } ? ShapesOf(refinerName) : null;
        var need = Need(shapes, refiner, p.Width, p.Height, p.BatchSize, p.Spec.Guidance);
        if (p.Spec is JobSpec.Txt2Img { Hires: { } hires })
        {
            // The hires fix redraws one image at a time at its enlarged size.
            need = Math.Max(need, Need(shapes, null, p.Width * hires.Factor, p.Height * hires.Factor, 1, p.Spec.Guidance));
        }

        if (need <= limit)
        {
            return null;
        }

        var message = $"this job needs about {Size(need)} of memory{(refiner is null ? "" : ", its refiner's weights included")}"
            + (p.Spec is JobSpec.Txt2Img { Hires: { } enlarged } ? $" (its hires fix runs at {p.Width * enlarged.Factor}×{p.Height * enlarged.Factor})" : "")
            + $", but the limit on this server is {Size(limit)}";

        // Where the whole-image VAE is what does not fit, tiles would: the setting is the administrator's, so the
        // message names it for the user to pass on.
        if (options.VaeTileSize == 0 && Need(Tiled(shapes), refiner is null ? null : Tiled(refiner), p.Width, p.Height, p.BatchSize, p.Spec.Guidance) <= limit)
        {
            message += $"; it would fit with the VAE run in tiles (an administrator's setting: Generation:VaeTileSize, e.g. {SuggestedVaeTileSize})";
        }

        // The hints below size the model's own stage in what the refiner's weights leave (its stage runs at the same
        // size and batch).
        limit -= refiner?.WeightBytes ?? 0;
        var batch = p.BatchSize > 1 ? MemoryEstimate.LargestBatch(shapes, p.Width, p.Height, p.BatchSize, p.Spec.Guidance, limit) : 0;
        if (p.BatchSize > 1)
        {
            message += batch > 0
                ? $"; at {p.Width}×{p.Height} the largest batch that fits is {batch}"
                : $"; at {p.Width}×{p.Height} not even one image fits";
        }

        if (MemoryEstimate.LargestSize(shapes, p.Width, p.Height, p.BatchSize, p.Spec.Guidance, limit) is { } size)
        {
            message += p.BatchSize > 1
                ? $"; with batch {p.BatchSize} the largest size is {size.Width}×{size.Height}"
                : $"; the largest size that fits is {size.Width}×{size.Height}";
        }
        else if (p.BatchSize > 1 && MemoryEstimate.LargestSize(shapes, p.Width, p.Height, 1, p.Spec.Guidance, limit) is { } single)
        {
            message += $"; one image fits at {single.Width}×{single.Height}";
        }
        else
        {
            message += "; this model cannot run any job within it";
        }

        return new FieldProblem(batch > 0 ? "batchSize" : "size", message);
    }

    private static ModelShapes Tiled(ModelShapes shapes) => shapes with { VaeTileSize = SuggestedVaeTileSize };

    /// <summary>The job's peak: the model's run, or with a refiner (both stay loaded once it has run) the larger of
    /// the two stages, each with the other's weights resident.</summary>
    private static long Need(ModelShapes shapes, ModelShapes? refiner, int width, int height, int batch, float guidance)
    {
        var own = MemoryEstimate.Of(shapes, width, height, batch, guidance).Total;
        return refiner is null
            ? own
            : Math.Max(own + refiner.WeightBytes, MemoryEstimate.Of(refiner, width, height, batch, guidance).Total + shapes.WeightBytes);
    }

    private ModelShapes? ShapesOf(string model)
    {
        try
        {
            var folder = catalog.ResolveFolder(model);
            var stamp = new[] { "unet/model.onnx", "unet/config.json", "vae_decoder/config.json", "model_index.json" }
                .Select(f => File.GetLastWriteTimeUtc(Path.Combine(folder, f))).Max();
            if (_shapes.TryGetValue(folder, out var known) && known.Stamp == stamp)
            {
                return known.Shapes;
            }

            var shapes = ModelShapes.Read(folder).As(_onCpu.Value, options.VaeTileSize);
            _shapes[folder] = (stamp, shapes);
            return shapes;
        }
        catch (Exception ex) when (ex is ModelNotFoundException or ModelLoadException)
        {
            return null;
        }
    }

    /// <summary>Binary units, as the settings count megabytes.</summary>
    public static string Size(long bytes) => bytes >= 1024 * Mebibyte
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * Mebibyte):0.#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, bytes / Mebibyte)} MiB");
}
