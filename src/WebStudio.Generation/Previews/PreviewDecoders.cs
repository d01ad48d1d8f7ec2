using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Previews;

/// <summary>
/// Chooses each model's preview decoder and keeps the tiny decoders loaded, once per file, however many models and
/// jobs share them (a configured TAESD serves every model of its family). A tiny decoder that cannot be loaded is
/// logged once with its reason, and those models' previews use the latent→RGB projection.
/// </summary>
public sealed class PreviewDecoders(PreviewOptions options, ModelLoadOptions load, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TinyAutoencoderDecoder?>> _tiny = new(StringComparer.Ordinal);

    public PreviewOptions Options { get; } = options;

    /// <summary>The frames of one run of <paramref name="pipeline"/>, with the chosen decoder and the configured period.</summary>
    public StepPreviews StartRun(StableDiffusionPipeline pipeline) =>
        new(For(pipeline), Options.Every, pipeline.Model.Config.Family, logger);

    /// <summary>What draws <paramref name="pipeline"/>'s model's previews under <see cref="Options"/>.</summary>
    public PreviewSource For(StableDiffusionPipeline pipeline)
    {
        var model = pipeline.Model;
        return Options.Decoder switch
        {
            PreviewDecoderMode.Vae => PreviewSource.Vae(new VaePreviewDecoder(pipeline)),
            PreviewDecoderMode.Auto when TinyDecoderPath(model.Folder, model.Config.Family) is { } path && Tiny(path, model.Name) is { } tiny =>
                PreviewSource.Tiny(tiny),
            _ => PreviewSource.Projection(model.Config.Family),
        };
    }

    /// <summary>The tiny decoder for a model in <paramref name="modelFolder"/>: its own vae_approx/model.onnx when it has
    /// that folder, else the model.onnx of the folder configured for its <paramref name="family"/>, else null.</summary>
    public string? TinyDecoderPath(string modelFolder, ModelFamily family)
    {
        var own = Path.Combine(modelFolder, TinyAutoencoderDecoder.FolderName);
        if (Directory.Exists(own))
        {
            return Path.Combine(own, "model.onnx");
        }

        return Options.DecoderFolders.TryGetValue(family, out var folder) ? Path.Combine(folder, "model.onnx") : null;
    }

    public void Dispose()
    {
        foreach (var decoder in _tiny.Values.Where(d => d.IsValueCreated))
        {
            decoder.Value?.Dispose();
        }
    }

    private TinyAutoencoderDecoder? Tiny(string path, string modelName) =>
        _tiny.GetOrAdd(path, p => new Lazy<TinyAutoencoderDecoder?>(() =>
        {
            try
            {
                var decoder = TinyAutoencoderDecoder.Load(p, load, logger);
                logger.LogInformation("Previews decode through the tiny decoder {Decoder} (first asked for by model {Model})", p, modelName);
                return decoder;
            }
            catch (ModelLoadException ex)
            {
                logger.LogWarning("Previews of model {Model} use the latent→RGB projection: the tiny preview decoder cannot be used. {Reason}",
                    modelName, ex.Message);
                return null;
            }
        })).Value;
}
