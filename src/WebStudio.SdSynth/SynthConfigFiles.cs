using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.SdSynth;

/// <summary>model_index.json, the scheduler config and each component's config.json, with SD 1.5's values.</summary>
internal static class SynthConfigFiles
{
    private const string DiffusersVersion = "0.30.0";
    private const float ScalingFactor = 0.18215f;

    public static void Write(string folder, SdArchitecture a, bool fp16)
    {
        DiffusersJson.Write(Path.Combine(folder, "model_index.json"), new ModelIndexFile
        {
            ClassName = "ORTStableDiffusionPipeline",
            DiffusersVersion = DiffusersVersion,
            FeatureExtractor = DiffusersJson.Pair(null, null),
            RequiresSafetyChecker = false,
            SafetyChecker = DiffusersJson.Pair(null, null),
            Scheduler = DiffusersJson.Pair("diffusers", "PNDMScheduler"),
            TextEncoder = DiffusersJson.Pair("transformers", "CLIPTextModel"),
            Tokenizer = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            Unet = DiffusersJson.Pair("diffusers", "UNet2DConditionModel"),
            VaeDecoder = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
            VaeEncoder = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
        });
        DiffusersJson.Write(Path.Combine(folder, "scheduler", "scheduler_config.json"), SchedulerConfigFile.StableDiffusion("PNDMScheduler", DiffusersVersion));
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.TextEncoder, "config.json"), new ClipTextConfigFile
        {
            Architectures = ["CLIPTextModel"],
            HiddenAct = "quick_gelu",
            HiddenSize = a.TextWidth,
            IntermediateSize = a.TextMlpWidth,
            MaxPositionEmbeddings = a.MaxPositions,
            ModelType = "clip_text_model",
            NumAttentionHeads = a.TextHeads,
            NumHiddenLayers = a.TextLayers,
            ProjectionDim = a.TextWidth,
            TorchDtype = fp16 ? "float16" : "float32",
            VocabSize = a.VocabularySize,
        });
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.UNet, "config.json"), new UNetConfigFile
        {
            ClassName = "UNet2DConditionModel",
            DiffusersVersion = DiffusersVersion,
            ActFn = "silu",
            AttentionHeadDim = a.UNetHeads,
            BlockOutChannels = a.UNetChannels,
            CenterInputSample = false,
            CrossAttentionDim = a.CrossAttentionDim,
            DownBlockTypes = [.. a.UNetChannels.Select((_, i) => i < a.UNetChannels.Length - 1 ? "CrossAttnDownBlock2D" : "DownBlock2D")],
            DownsamplePadding = 1,
            FlipSinToCos = true,
            FreqShift = 0,
            InChannels = a.LatentChannels,
            LayersPerBlock = a.UNetLayersPerBlock,
            MidBlockScaleFactor = 1,
            NormEps = 1e-05,
            NormNumGroups = a.NormGroups,
            OutChannels = a.LatentChannels,
            SampleSize = a.SampleSize,
            UpBlockTypes = [.. a.UNetChannels.Select((_, i) => i == 0 ? "UpBlock2D" : "CrossAttnUpBlock2D")],
        });
        var vae = new VaeConfigFile
        {
            ClassName = "AutoencoderKL",
            DiffusersVersion = DiffusersVersion,
            ActFn = "silu",
            BlockOutChannels = a.VaeChannels,
            InChannels = 3,
            LatentChannels = a.LatentChannels,
            LayersPerBlock = a.VaeLayersPerBlock,
            NormNumGroups = a.NormGroups,
            OutChannels = 3,
            SampleSize = a.SampleSize * 8,
            ScalingFactor = ScalingFactor,
        };
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeDecoder, "config.json"), vae);
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeEncoder, "config.json"), vae);
    }
}
