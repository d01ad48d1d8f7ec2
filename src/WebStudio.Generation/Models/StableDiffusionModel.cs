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
        string name, string folder, ModelConfig config, SchedulerConfig schedulerConfig, IReadOnlyList<TextEncoderPart> textEncoders,
        UNet unet, VaeDecoder vaeDecoder, VaeEncoder? vaeEncoder)
    {
        Name = name;
        Folder = folder;
        Config = config;
        SchedulerConfig = schedulerConfig;
        TextEncoders = textEncoders;
        Tokenizer = textEncoders[0].Tokenizer;
        TextEncoder = textEncoders[0].Encoder;
        UNet = unet;
        VaeDecoder = vaeDecoder;
        VaeEncoder = vaeEncoder;
    }

    public string Name { get; }
    public string Folder { get; }
    public ModelConfig Config { get; }
    public SchedulerConfig SchedulerConfig { get; }
    /// <summary>The first text encoder's tokenizer (the SDXL refiner's only one is tokenizer_2).</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <summary>The first text encoder (the SDXL refiner's only one is text_encoder_2).</summary>
    public TextEncoder TextEncoder { get; }

    /// <summary>Every text encoder in diffusers' order: one for SD; text_encoder and text_encoder_2 for SDXL (the
    /// refiner: text_encoder_2 alone), whose penultimate states are joined on the feature axis.</summary>
    public IReadOnlyList<TextEncoderPart> TextEncoders { get; }
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
        // SDXL: text_encoder (absent in the refiner) and text_encoder_2, each with its own tokenizer.
        var encoderFolders = config.IsXl
            ? new[] { ("tokenizer", "text_encoder"), ("tokenizer_2", "text_encoder_2") }.Where(p => p.Item2 == "text_encoder_2" || Directory.Exists(Path.Combine(folder, p.Item2))).ToArray()
            : [("tokenizer", "text_encoder")];
        var tokenizers = encoderFolders.Select(p => LoadTokenizer(folder, p.Item1)).ToArray();

        foreach (var required in encoderFolders.Select(p => p.Item2).Concat(["unet", "vae_decoder"]))
        {
            if (!File.Exists(Path.Combine(folder, required, "model.onnx")))
            {
                throw new ModelLoadException($"The model folder has no {required}/model.onnx.");
            }
        }

        var loaded = new List<IDisposable>();
        try
        {
            var textEncoders = encoderFolders
                .Select((p, i) => new TextEncoderPart(tokenizers[i], Track(new TextEncoder(Track(OnnxComponent.Load(folder, p.Item2, options, logger), loaded)), loaded), p.Item2))
                .ToArray();
            var unet = Track(new UNet(Track(OnnxComponent.Load(folder, "unet", options, logger), loaded), options.IoBinding), loaded);
            if (CudaGraphSupport.Explain(options, unet.Provider) is { } noGraph)
            {
                logger.LogWarning("{Model}: {Reason}", Path.GetFileName(folder), noGraph);
            }

            var tiling = VaeTiling.OfSize(options.VaeTileSize, config.VaeScaleFactor);
            var vaeDecoder = Track(new VaeDecoder(Track(OnnxComponent.Load(folder, "vae_decoder", options, logger, upcast: config.ForceUpcast), loaded), tiling), loaded);
            VaeEncoder? vaeEncoder = null;
            if (File.Exists(Path.Combine(folder, "vae_encoder", "model.onnx")))
            {
                vaeEncoder = Track(new VaeEncoder(Track(OnnxComponent.Load(folder, "vae_encoder", options, logger, upcast: config.ForceUpcast), loaded), tiling), loaded);
            }

            if (config.TimeCondProjDim > 0 && unet.TimestepCondDim == 0)
            {
                throw new ModelLoadException(
                    $"unet/config.json sets time_cond_proj_dim {config.TimeCondProjDim}, but unet/model.onnx has no input 'timestep_cond'.");
            }

            CheckInstructPix2Pix(config, unet, vaeEncoder);
            XlModelCheck.Verify(config, textEncoders, unet);
            var model = new StableDiffusionModel(
                Path.GetFileName(folder), folder, config, schedulerConfig, textEncoders, unet, vaeDecoder, vaeEncoder);
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
        foreach (var part in TextEncoders)
        {
            part.Encoder.Dispose();
        }

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

    /// <summary>The model folder's tokenizer/ alone (no graphs are loaded), or <see cref="ModelLoadException"/>. An SDXL
    /// refiner has only tokenizer_2/, which is then read.</summary>
    public static ClipTokenizer LoadTokenizer(string folder) =>
        LoadTokenizer(folder, !Directory.Exists(Path.Combine(folder, "tokenizer")) && Directory.Exists(Path.Combine(folder, "tokenizer_2")) ? "tokenizer_2" : "tokenizer");

    private static ClipTokenizer LoadTokenizer(string folder, string subfolder)
    {
        var tokenizerFolder = Path.Combine(folder, subfolder);
        foreach (var file in new[] { "vocab.json", "merges.txt" })
        {
            if (!File.Exists(Path.Combine(tokenizerFolder, file)))
            {
                throw new ModelLoadException($"The model folder has no {subfolder}/{file}.");
            }
        }

        try
        {
            return ClipTokenizer.FromFolder(tokenizerFolder);
        }
        catch (Exception ex) when (ex is not ModelLoadException)
        {
            throw new ModelLoadException($"{subfolder}/ cannot be read: {ex.Message}", ex);
        }
    }
}
