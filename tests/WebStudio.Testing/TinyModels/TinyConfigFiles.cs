using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Testing.TinyModels;

/// <summary>model_index.json, the scheduler config and the components' config.json files.</summary>
internal static class TinyConfigFiles
{
    private const string DiffusersVersion = "0.30.0";
    private const float ScalingFactor = 0.18215f;
    private const float XlScalingFactor = 0.13025f;

    public static void Write(string folder, TinyModelVariant variant)
    {
        DiffusersJson.Write(Path.Combine(folder, "model_index.json"), ModelIndex(variant));
        DiffusersJson.Write(Path.Combine(folder, "scheduler", "scheduler_config.json"), Scheduler(variant));
        DiffusersJson.Write(Path.Combine(folder, "unet", "config.json"), UNet(variant));
        DiffusersJson.Write(Path.Combine(folder, "vae_decoder", "config.json"), Vae(variant));
        if (variant.Exporter == TinyExporter.Optimum)
        {
            // optimum also saves the encoder halves' configs.
            DiffusersJson.Write(Path.Combine(folder, "vae_encoder", "config.json"), Vae(variant));
            if (variant.Xl != TinyXl.Refiner)
            {
                DiffusersJson.Write(Path.Combine(folder, "text_encoder", "config.json"), TextEncoder(variant));
            }

            if (variant.IsXl)
            {
                DiffusersJson.Write(Path.Combine(folder, "text_encoder_2", "config.json"), TextEncoder(variant, second: true));
            }
        }
    }

    private static ModelIndexFile ModelIndex(TinyModelVariant variant)
    {
        if (variant.IsXl)
        {
            return XlModelIndex(variant);
        }

        var optimum = variant.Exporter == TinyExporter.Optimum;
        var pipeline = (optimum, variant.Inpainting, variant.Lcm) switch
        {
            _ when variant.InstructPix2Pix => optimum ? "ORTStableDiffusionInstructPix2PixPipeline" : "StableDiffusionInstructPix2PixPipeline",
            (true, true, _) => "ORTStableDiffusionInpaintPipeline",
            (true, _, true) => "ORTLatentConsistencyModelPipeline",
            (true, _, _) => "ORTStableDiffusionPipeline",
            (false, true, _) => "OnnxStableDiffusionInpaintPipeline",
            _ => "OnnxStableDiffusionPipeline",
        };
        var onnxModel = DiffusersJson.Pair("diffusers", "OnnxRuntimeModel");
        return new ModelIndexFile
        {
            ClassName = pipeline,
            DiffusersVersion = DiffusersVersion,
            FeatureExtractor = DiffusersJson.Pair(null, null),
            RequiresSafetyChecker = false,
            SafetyChecker = DiffusersJson.Pair(null, null),
            Scheduler = DiffusersJson.Pair("diffusers", variant.Lcm ? "LCMScheduler" : "PNDMScheduler"),
            TextEncoder = optimum ? DiffusersJson.Pair("transformers", "CLIPTextModel") : onnxModel,
            Tokenizer = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            Unet = optimum ? DiffusersJson.Pair("diffusers", "UNet2DConditionModel") : onnxModel,
            VaeDecoder = optimum ? DiffusersJson.Pair("diffusers", "AutoencoderKL") : onnxModel,
            VaeEncoder = optimum ? DiffusersJson.Pair("diffusers", "AutoencoderKL") : onnxModel,
        };
    }

    /// <summary>As stabilityai's SDXL folders have it: both text encoders (the refiner: encoder 2 only), and the two
    /// SDXL switches of the pipeline's config.</summary>
    private static ModelIndexFile XlModelIndex(TinyModelVariant variant)
    {
        var refiner = variant.Xl == TinyXl.Refiner;
        var onnxModel = DiffusersJson.Pair("diffusers", "OnnxRuntimeModel");
        return new ModelIndexFile
        {
            ClassName = refiner ? "StableDiffusionXLImg2ImgPipeline" : variant.Inpainting ? "StableDiffusionXLInpaintPipeline" : "StableDiffusionXLPipeline",
            DiffusersVersion = DiffusersVersion,
            FeatureExtractor = DiffusersJson.Pair(null, null),
            ForceZerosForEmptyPrompt = !refiner,
            RequiresAestheticsScore = refiner ? true : null,
            Scheduler = DiffusersJson.Pair("diffusers", variant.Turbo ? "EulerAncestralDiscreteScheduler" : "EulerDiscreteScheduler"),
            TextEncoder = refiner ? DiffusersJson.Pair(null, null) : onnxModel,
            TextEncoder2 = onnxModel,
            Tokenizer = refiner ? DiffusersJson.Pair(null, null) : DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            Tokenizer2 = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            Unet = onnxModel,
            VaeDecoder = onnxModel,
            VaeEncoder = onnxModel,
        };
    }

    private static SchedulerConfigFile Scheduler(TinyModelVariant variant) =>
        variant.Turbo
            ? SchedulerConfigFile.StableDiffusion("EulerAncestralDiscreteScheduler", DiffusersVersion) with { TimestepSpacing = "trailing" }
            : variant.IsXl
                ? SchedulerConfigFile.StableDiffusion("EulerDiscreteScheduler", DiffusersVersion) with { TimestepSpacing = "leading", InterpolationType = "linear" }
                : SchedulerConfigFile.StableDiffusion(variant.Lcm ? "LCMScheduler" : "PNDMScheduler", DiffusersVersion) with
                {
                    OriginalInferenceSteps = variant.Lcm ? 50 : null,
                    TimestepSpacing = variant.Lcm ? "leading" : null,
                };

    private static UNetConfigFile UNet(TinyModelVariant variant) => new()
    {
        ClassName = "UNet2DConditionModel",
        DiffusersVersion = DiffusersVersion,
        // What TinyUNet really has (the memory estimate reads it): one level with one single-head transformer
        // block that attends to the text only.
        AttentionHeadDim = 1,
        BlockOutChannels = [variant.UNetChannels],
        CrossAttentionDim = variant.TextWidth,
        DownBlockTypes = ["CrossAttnDownBlock2D"],
        InChannels = variant.UNetInChannels,
        LayersPerBlock = 1,
        NormNumGroups = 8,
        OnlyCrossAttention = true,
        OutChannels = TinyModelVariant.LatentChannels,
        SampleSize = TinyModelVariant.SampleSize,
        TimeCondProjDim = variant.Lcm ? TinyModelVariant.TimeCondDim : null,
        AdditionEmbedType = variant.IsXl ? "text_time" : null,
        AdditionTimeEmbedDim = variant.IsXl ? TinyModelVariant.AdditionTimeEmbedDim : null,
        ProjectionClassEmbeddingsInputDim = variant.IsXl ? variant.PooledWidth + variant.TimeIdCount * TinyModelVariant.AdditionTimeEmbedDim : null,
    };

    private static VaeConfigFile Vae(TinyModelVariant variant) => new()
    {
        ClassName = "AutoencoderKL",
        DiffusersVersion = DiffusersVersion,
        BlockOutChannels = [variant.VaeChannels, variant.VaeChannels, variant.VaeChannels, variant.VaeChannels],
        InChannels = 3,
        LatentChannels = TinyModelVariant.LatentChannels,
        MidBlockAddAttention = false,
        NormNumGroups = 4,
        OutChannels = 3,
        SampleSize = TinyModelVariant.SampleSize * 8,
        ScalingFactor = variant.IsXl ? XlScalingFactor : ScalingFactor,
        ForceUpcast = variant.IsXl ? !variant.FixedFp16Vae : null,
    };

    private static ClipTextConfigFile TextEncoder(TinyModelVariant variant, bool second = false) => new()
    {
        NameOrPath = "tiny-clip-text",
        Architectures = [second ? "CLIPTextModelWithProjection" : "CLIPTextModel"],
        HiddenAct = "gelu",
        HiddenSize = second ? variant.Text2Width : variant.Text1Width,
        IntermediateSize = 4 * (second ? variant.Text2Width : variant.Text1Width),
        MaxPositionEmbeddings = TinyModelVariant.MaxTokens,
        ModelType = "clip_text_model",
        NumAttentionHeads = 1,
        NumHiddenLayers = variant.IsXl ? TinyModelVariant.XlTextLayers : 1,
        TorchDtype = variant.Fp16 ? "float16" : "float32",
        VocabSize = TinyTokenizerFiles.Vocabulary().Count,
    };
}
