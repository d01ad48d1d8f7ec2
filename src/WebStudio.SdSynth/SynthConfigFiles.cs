using System.Text.Json;
using System.Text.Json.Nodes;
using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.SdSynth;

/// <summary>model_index.json, the scheduler config and each component's config.json, with SD 1.5's (or SDXL
/// base's) values.</summary>
internal static class SynthConfigFiles
{
    private const string DiffusersVersion = "0.30.0";

    public static void Write(string folder, SdArchitecture a, bool fp16)
    {
        DiffusersJson.Write(Path.Combine(folder, "model_index.json"), a.IsXl ? XlModelIndex() : new ModelIndexFile
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
        DiffusersJson.Write(Path.Combine(folder, "scheduler", "scheduler_config.json"), a.IsXl
            ? SchedulerConfigFile.StableDiffusion("EulerDiscreteScheduler", DiffusersVersion) with { TimestepSpacing = "leading", InterpolationType = "linear" }
            : SchedulerConfigFile.StableDiffusion("PNDMScheduler", DiffusersVersion));
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.TextEncoder, "config.json"), TextConfig(a, a.FirstText, fp16));
        if (a.SecondText is { } second)
        {
            DiffusersJson.Write(Path.Combine(folder, SynthComponents.TextEncoder2, "config.json"), TextConfig(a, second, fp16));
        }

        var unet = new UNetConfigFile
        {
            ClassName = "UNet2DConditionModel",
            DiffusersVersion = DiffusersVersion,
            ActFn = "silu",
            AttentionHeadDim = a.UNetHeadWidth is null ? a.UNetHeads : PerLevel<int>.List([.. a.UNetChannels.Select(a.HeadsFor)]),
            BlockOutChannels = a.UNetChannels,
            CenterInputSample = false,
            CrossAttentionDim = a.CrossAttentionDim,
            DownBlockTypes = [.. a.UNetChannels.Select((_, i) => a.TransformerDepth(i) > 0 ? "CrossAttnDownBlock2D" : "DownBlock2D")],
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
            UpBlockTypes = [.. a.UNetChannels.Select((_, i) => a.TransformerDepth(a.UNetChannels.Length - 1 - i) > 0 ? "CrossAttnUpBlock2D" : "UpBlock2D")],
            AdditionEmbedType = a.AdditionTimeEmbedDim > 0 ? "text_time" : null,
            AdditionTimeEmbedDim = a.AdditionTimeEmbedDim > 0 ? a.AdditionTimeEmbedDim : null,
            ProjectionClassEmbeddingsInputDim = a.AdditionTimeEmbedDim > 0 ? a.PooledWidth + a.TimeIdCount * a.AdditionTimeEmbedDim : null,
        };
        if (a.IsXl)
        {
            // Keys WebStudio does not read but SDXL's config has; written so the folder reads as the real one does.
            var node = JsonSerializer.SerializeToNode(unet, DiffusersJson.Options)!.AsObject();
            node["transformer_layers_per_block"] = new JsonArray([.. a.UNetChannels.Select((_, i) => (JsonNode)a.TransformerDepth(i))]);
            node["use_linear_projection"] = a.UNetLinearProjection;
            DiffusersJson.Write(Path.Combine(folder, SynthComponents.UNet, "config.json"), node);
        }
        else
        {
            DiffusersJson.Write(Path.Combine(folder, SynthComponents.UNet, "config.json"), unet);
        }

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
            ScalingFactor = a.VaeScalingFactor,
            // SDXL's VAE overflows in float16: diffusers decodes it upcast unless the VAE is a fixed one.
            ForceUpcast = a.IsXl ? true : null,
        };
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeDecoder, "config.json"), vae);
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeEncoder, "config.json"), vae);
    }

    /// <summary>Sets a tokenizer folder's pad token (SDXL's tokenizer_2 pads with "!", not end-of-text).</summary>
    public static void UsePadToken(string tokenizerFolder, string pad)
    {
        foreach (var file in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            var path = Path.Combine(tokenizerFolder, file);
            var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            node["pad_token"] = pad;
            DiffusersJson.Write(path, node);
        }
    }

    /// <summary>As stabilityai's SDXL base folder has it: both text encoders and tokenizers, zeros for empty prompts.</summary>
    private static ModelIndexFile XlModelIndex() => new()
    {
        ClassName = "StableDiffusionXLPipeline",
        DiffusersVersion = DiffusersVersion,
        FeatureExtractor = DiffusersJson.Pair(null, null),
        ForceZerosForEmptyPrompt = true,
        Scheduler = DiffusersJson.Pair("diffusers", "EulerDiscreteScheduler"),
        TextEncoder = DiffusersJson.Pair("transformers", "CLIPTextModel"),
        TextEncoder2 = DiffusersJson.Pair("transformers", "CLIPTextModelWithProjection"),
        Tokenizer = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
        Tokenizer2 = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
        Unet = DiffusersJson.Pair("diffusers", "UNet2DConditionModel"),
        VaeDecoder = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
        VaeEncoder = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
    };

    private static ClipTextConfigFile TextConfig(SdArchitecture a, ClipTextArchitecture t, bool fp16) => new()
    {
        Architectures = [t.Projection ? "CLIPTextModelWithProjection" : "CLIPTextModel"],
        HiddenAct = t.Activation,
        HiddenSize = t.Width,
        IntermediateSize = t.MlpWidth,
        MaxPositionEmbeddings = a.MaxPositions,
        ModelType = "clip_text_model",
        NumAttentionHeads = t.Heads,
        NumHiddenLayers = t.Layers,
        ProjectionDim = t.Width,
        TorchDtype = fp16 ? "float16" : "float32",
        VocabSize = a.VocabularySize,
    };
}
