using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Models;

/// <summary>
/// A loaded Stable-Diffusion-format ONNX folder: tokenizer, sessions and configuration. Loaded once and shared by
/// every job; it holds no per-job state (schedulers and noise generators are made per job by the pipeline).
/// </summary>
public sealed class StableDiffusionModel : IDisposable
{
    private StableDiffusionModel(
        string name, string folder, ModelConfig config, SchedulerConfig schedulerConfig, ClipTokenizer tokenizer,
        TextEncoder textEncoder, UNet unet, VaeDecoder vaeDecoder, VaeEncoder? vaeEncoder)
    {
        Name = name;
        Folder = folder;
        Config = config;
        SchedulerConfig = schedulerConfig;
        Tokenizer = tokenizer;
        TextEncoder = textEncoder;
        UNet = unet;
        VaeDecoder = vaeDecoder;
        VaeEncoder = vaeEncoder;
    }

    public string Name { get; }
    public string Folder { get; }
    public ModelConfig Config { get; }
    public SchedulerConfig SchedulerConfig { get; }
    public ClipTokenizer Tokenizer { get; }
    public TextEncoder TextEncoder { get; }
    public UNet UNet { get; }
    public VaeDecoder VaeDecoder { get; }

    /// <summary>Null when the folder has no vae_encoder (txt2img only).</summary>
    public VaeEncoder? VaeEncoder { get; }

    /// <summary>An InstructPix2Pix-format model: model_index.json names its pipeline and the UNet takes the input
    /// image's latents beside the noisy ones (8 channels). It runs every request as an instruction edit.</summary>
    public bool EditsByInstruction => Config.IsInstructPix2Pix;

    /// <summary>The execution provider the UNet runs on ("CUDA" or "CPU").</summary>
    public string Provider => UNet.Provider;

    /// <summary>Checks every part of the folder before loading any session, then loads the sessions.</summary>
    public static StableDiffusionModel Load(string folder, ModelLoadOptions? options = null, ILogger? logger = null)
    {
        options ??= new ModelLoadOptions();
        logger ??= NullLogger.Instance;
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model folder '{folder}' does not exist.");
        }

        var config = ModelConfig.Read(folder);
        var schedulerPath = Path.Combine(folder, "scheduler", "scheduler_config.json");
        var schedulerConfig = File.Exists(schedulerPath)
            ? LoadSchedulerConfig(schedulerPath)
            : SchedulerConfig.StableDiffusionDefault;
        var tokenizer = LoadTokenizer(folder);

        foreach (var required in new[] { "text_encoder", "unet", "vae_decoder" })
        {
            if (!File.Exists(Path.Combine(folder, required, "model.onnx")))
            {
                throw new ModelLoadException($"The model folder has no {required}/model.onnx.");
            }
        }

        var loaded = new List<IDisposable>();
        try
        {
            var textEncoder = Track(new TextEncoder(Track(OnnxComponent.Load(folder, "text_encoder", options, logger), loaded)), loaded);
            var unet = Track(new UNet(Track(OnnxComponent.Load(folder, "unet", options, logger), loaded)), loaded);
            var vaeDecoder = Track(new VaeDecoder(Track(OnnxComponent.Load(folder, "vae_decoder", options, logger), loaded)), loaded);
            VaeEncoder? vaeEncoder = null;
            if (File.Exists(Path.Combine(folder, "vae_encoder", "model.onnx")))
            {
                vaeEncoder = Track(new VaeEncoder(Track(OnnxComponent.Load(folder, "vae_encoder", options, logger), loaded)), loaded);
            }

            if (config.TimeCondProjDim > 0 && unet.TimestepCondDim == 0)
            {
                throw new ModelLoadException(
                    $"unet/config.json sets time_cond_proj_dim {config.TimeCondProjDim}, but unet/model.onnx has no input 'timestep_cond'.");
            }

            CheckInstructPix2Pix(config, unet, vaeEncoder);
            var model = new StableDiffusionModel(
                Path.GetFileName(folder), folder, config, schedulerConfig, tokenizer, textEncoder, unet, vaeDecoder, vaeEncoder);
            logger.LogInformation(
                "Loaded model {Model} from {Folder} on {Provider} (native {Size}px, UNet in-channels {Channels}, dynamic batch {Dynamic}, prompt windows {Windows})",
                model.Name, folder, model.Provider, config.NativeSize, unet.InChannels, unet.HasDynamicBatch,
                unet.FixedTextTokens is null ? "any number" : "1 (the UNet export fixes 77 text tokens: text after 75 tokens is cut)");
            return model;
        }
        catch
        {
            foreach (var item in loaded)
            {
                item.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        TextEncoder.Dispose();
        UNet.Dispose();
        VaeDecoder.Dispose();
        VaeEncoder?.Dispose();
    }

    /// <summary>The model_index.json class and the UNet's input channels must agree on whether this is an
    /// InstructPix2Pix model, which also needs the VAE encoder for the image it edits.</summary>
    private static void CheckInstructPix2Pix(ModelConfig config, UNet unet, VaeEncoder? vaeEncoder)
    {
        const int channels = ModelConfig.InstructPix2PixUNetChannels;
        if (config.IsInstructPix2Pix && unet.InChannels != channels)
        {
            throw new ModelLoadException(
                $"model_index.json names {config.PipelineClass}, an instruction-editing (InstructPix2Pix) pipeline, but unet/model.onnx " +
                $"takes {unet.InChannels} input channels, not {channels} (the noisy latents and the input image's latents).");
        }

        if (!config.IsInstructPix2Pix && unet.InChannels == channels)
        {
            throw new ModelLoadException(
                $"unet/model.onnx takes {channels} input channels, as an InstructPix2Pix UNet does, but model_index.json names " +
                $"'{config.PipelineClass}'; an InstructPix2Pix model's model_index.json names StableDiffusionInstructPix2PixPipeline.");
        }

        if (config.IsInstructPix2Pix && vaeEncoder is null)
        {
            throw new ModelLoadException(
                "The model folder has no vae_encoder/model.onnx, which an InstructPix2Pix model needs to encode the image it edits.");
        }
    }

    private static T Track<T>(T item, List<IDisposable> loaded) where T : IDisposable
    {
        loaded.Add(item);
        return item;
    }

    private static SchedulerConfig LoadSchedulerConfig(string path)
    {
        try
        {
            return SchedulerConfig.FromJsonFile(path);
        }
        catch (Exception ex) when (ex is not ModelLoadException)
        {
            throw new ModelLoadException($"scheduler/scheduler_config.json cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The model folder's tokenizer/ alone (no graphs are loaded), or <see cref="ModelLoadException"/>.</summary>
    public static ClipTokenizer LoadTokenizer(string folder)
    {
        var tokenizerFolder = Path.Combine(folder, "tokenizer");
        foreach (var file in new[] { "vocab.json", "merges.txt" })
        {
            if (!File.Exists(Path.Combine(tokenizerFolder, file)))
            {
                throw new ModelLoadException($"The model folder has no tokenizer/{file}.");
            }
        }

        try
        {
            return ClipTokenizer.FromFolder(tokenizerFolder);
        }
        catch (Exception ex) when (ex is not ModelLoadException)
        {
            throw new ModelLoadException($"tokenizer/ cannot be read: {ex.Message}", ex);
        }
    }
}
