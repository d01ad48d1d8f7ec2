using WebStudio.Generation.Models.Diffusers;
using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Training;

namespace WebStudio.Trainer.Export;

/// <summary>Writes the Stable Diffusion ONNX folder layout (as diffusers' convert_stable_diffusion_checkpoint_to_onnx
/// does): model_index.json, scheduler/, tokenizer/ (written by the caller), text_encoder/, unet/, vae_encoder/, vae_decoder/.</summary>
internal sealed class ModelFolderWriter(string folder)
{
    private const string DiffusersVersion = "0.30.0";
    private const int ImageSize = 128;

    public const string TextToImagePipeline = "OnnxStableDiffusionPipeline";
    public const string InstructPix2PixPipeline = "StableDiffusionInstructPix2PixPipeline";

    public void Write(ArchitectureConfig config, VaeEncoderNet encoder, VaeDecoderNet decoder, TextEncoderNet text, UNetNet unet, float scalingFactor,
        string pipeline = TextToImagePipeline)
    {
        ModelWriter.Save(TextEncoderGraph.Build(text), ModelPath(ModelParts.TextEncoder));
        ModelWriter.Save(UNetGraph.Build(unet), ModelPath(ModelParts.UNet));
        ModelWriter.Save(VaeGraphs.Encoder(encoder), ModelPath(ModelParts.VaeEncoder));
        ModelWriter.Save(VaeGraphs.Decoder(decoder), ModelPath(ModelParts.VaeDecoder));

        WriteJson("model_index.json", ModelIndex(scalingFactor, pipeline));
        WriteJson("scheduler/scheduler_config.json", Scheduler());
        WriteJson("unet/config.json", UNetConfigJson(config.UNet, scalingFactor));
        WriteJson("vae_decoder/config.json", VaeConfigJson(config.Vae, scalingFactor));
        WriteJson("vae_encoder/config.json", VaeConfigJson(config.Vae, scalingFactor));
        WriteJson("text_encoder/config.json", TextConfigJson(text.Config));
    }

    public string ModelPath(string component)
    {
        Directory.CreateDirectory(Path.Combine(folder, component));
        return Path.Combine(folder, component, "model.onnx");
    }

    private void WriteJson<T>(string relative, T json) => DiffusersJson.Write(Path.Combine(folder, relative), json);

    private static string?[] Pair(string? library, string? type) => DiffusersJson.Pair(library, type);

    private static ModelIndexFile ModelIndex(float scalingFactor, string pipeline) => new()
    {
        ClassName = pipeline,
        DiffusersVersion = DiffusersVersion,
        FeatureExtractor = Pair(null, null),
        RequiresSafetyChecker = false,
        SafetyChecker = Pair(null, null),
        Scheduler = Pair("diffusers", "EulerDiscreteScheduler"),
        TextEncoder = Pair("diffusers", "OnnxRuntimeModel"),
        Tokenizer = Pair("transformers", "CLIPTokenizer"),
        Unet = Pair("diffusers", "OnnxRuntimeModel"),
        VaeDecoder = Pair("diffusers", "OnnxRuntimeModel"),
        VaeEncoder = Pair("diffusers", "OnnxRuntimeModel"),
        VaeScalingFactor = scalingFactor,
    };

    private static SchedulerConfigFile Scheduler() => new()
    {
        ClassName = "EulerDiscreteScheduler",
        DiffusersVersion = DiffusersVersion,
        BetaEnd = NoiseSchedule.BetaEnd,
        BetaSchedule = "scaled_linear",
        BetaStart = NoiseSchedule.BetaStart,
        ClipSample = false,
        InterpolationType = "linear",
        NumTrainTimesteps = NoiseSchedule.TrainSteps,
        PredictionType = "epsilon",
        SetAlphaToOne = false,
        SkipPrkSteps = true,
        StepsOffset = 1,
        TimestepSpacing = "leading",
        UseKarrasSigmas = false,
    };

    private static UNetConfigFile UNetConfigJson(UNetConfig unet, float scalingFactor) => new()
    {
        ClassName = "UNet2DConditionModel",
        DiffusersVersion = DiffusersVersion,
        AttentionHeadDim = unet.Heads,
        BlockOutChannels = [.. unet.Channels],
        CrossAttentionDim = unet.ContextDim,
        // Which levels have transformer blocks, as diffusers names them: the memory estimate reads it.
        DownBlockTypes = [.. unet.Channels.Select((_, level) => unet.HasAttention(level) ? "CrossAttnDownBlock2D" : "DownBlock2D")],
        InChannels = unet.SampleChannels,
        LayersPerBlock = 1,
        NormNumGroups = unet.Groups,
        OutChannels = unet.InChannels,
        SampleSize = ImageSize / VaeConfig.Downsampling,
        TimestepInput = "float32 [batch]",
        VaeScalingFactor = scalingFactor,
    };

    private static VaeConfigFile VaeConfigJson(VaeConfig vae, float scalingFactor) => new()
    {
        ClassName = "AutoencoderKL",
        DiffusersVersion = DiffusersVersion,
        // diffusers (and the app) derive the VAE's scale factor as 2^(entries - 1): four entries say ×8. The
        // 4× pixel-unshuffle stem stands for the first two levels, so Width1 is listed for 128, 64 and 32 px.
        BlockOutChannels = [vae.Width1, vae.Width1, vae.Width1, vae.Width2],
        InChannels = 3,
        LatentChannels = vae.LatentChannels,
        MidBlockAddAttention = false, // no attention anywhere in this VAE
        OutChannels = 3,
        SampleSize = ImageSize,
        ScalingFactor = scalingFactor,
    };

    private static ClipTextConfigFile TextConfigJson(TextEncoderConfig text) => new()
    {
        Architectures = ["CLIPTextModel"],
        HiddenAct = "gelu",
        HiddenSize = text.Width,
        IntermediateSize = 4 * text.Width,
        MaxPositionEmbeddings = text.MaxLength,
        ModelType = "clip_text_model",
        NumAttentionHeads = text.Heads,
        NumHiddenLayers = text.Layers,
        TorchDtype = "float32",
        VocabSize = text.VocabSize,
    };
}
