using System.Text.Json.Nodes;

using WebStudio.Onnx;

namespace WebStudio.Testing.TinyModels;

/// <summary>model_index.json, the scheduler config and the components' config.json files.</summary>
internal static class TinyConfigFiles
{
    private const string DiffusersVersion = "0.30.0";
    private const float ScalingFactor = 0.18215f;

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
            DiffusersJson.Write(Path.Combine(folder, "text_encoder", "config.json"), TextEncoder(variant));
        }
    }

    private static JsonObject ModelIndex(TinyModelVariant variant)
    {
        var optimum = variant.Exporter == TinyExporter.Optimum;
        var pipeline = (optimum, variant.Inpainting, variant.Lcm) switch
        {
            (true, true, _) => "ORTStableDiffusionInpaintPipeline",
            (true, _, true) => "ORTLatentConsistencyModelPipeline",
            (true, _, _) => "ORTStableDiffusionPipeline",
            (false, true, _) => "OnnxStableDiffusionInpaintPipeline",
            _ => "OnnxStableDiffusionPipeline",
        };
        var onnxModel = DiffusersJson.Pair("diffusers", "OnnxRuntimeModel");
        return new JsonObject
        {
            ["_class_name"] = pipeline,
            ["_diffusers_version"] = DiffusersVersion,
            ["feature_extractor"] = DiffusersJson.Pair(null, null),
            ["requires_safety_checker"] = false,
            ["safety_checker"] = DiffusersJson.Pair(null, null),
            ["scheduler"] = DiffusersJson.Pair("diffusers", variant.Lcm ? "LCMScheduler" : "PNDMScheduler"),
            ["text_encoder"] = optimum ? DiffusersJson.Pair("transformers", "CLIPTextModel") : onnxModel.DeepClone(),
            ["tokenizer"] = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            ["unet"] = optimum ? DiffusersJson.Pair("diffusers", "UNet2DConditionModel") : onnxModel.DeepClone(),
            ["vae_decoder"] = optimum ? DiffusersJson.Pair("diffusers", "AutoencoderKL") : onnxModel.DeepClone(),
            ["vae_encoder"] = optimum ? DiffusersJson.Pair("diffusers", "AutoencoderKL") : onnxModel.DeepClone(),
        };
    }

    private static JsonObject Scheduler(TinyModelVariant variant)
    {
        var config = DiffusersJson.StableDiffusionScheduler(variant.Lcm ? "LCMScheduler" : "PNDMScheduler", DiffusersVersion);
        if (variant.Lcm)
        {
            config["original_inference_steps"] = 50;
            config["timestep_spacing"] = "leading";
        }

        return config;
    }

    private static JsonObject UNet(TinyModelVariant variant) => new()
    {
        ["_class_name"] = "UNet2DConditionModel",
        ["_diffusers_version"] = DiffusersVersion,
        // What TinyUNet really has (the memory estimate reads it): one level with one single-head transformer
        // block that attends to the text only.
        ["attention_head_dim"] = 1,
        ["block_out_channels"] = DiffusersJson.Ints(variant.UNetChannels),
        ["cross_attention_dim"] = variant.TextWidth,
        ["down_block_types"] = DiffusersJson.Strings(["CrossAttnDownBlock2D"]),
        ["in_channels"] = variant.UNetInChannels,
        ["layers_per_block"] = 1,
        ["norm_num_groups"] = 8,
        ["only_cross_attention"] = true,
        ["out_channels"] = TinyModelVariant.LatentChannels,
        ["sample_size"] = TinyModelVariant.SampleSize,
        ["time_cond_proj_dim"] = variant.Lcm ? TinyModelVariant.TimeCondDim : null,
    };

    private static JsonObject Vae(TinyModelVariant variant) => new()
    {
        ["_class_name"] = "AutoencoderKL",
        ["_diffusers_version"] = DiffusersVersion,
        ["block_out_channels"] = DiffusersJson.Ints(variant.VaeChannels, variant.VaeChannels, variant.VaeChannels, variant.VaeChannels),
        ["in_channels"] = 3,
        ["latent_channels"] = TinyModelVariant.LatentChannels,
        ["mid_block_add_attention"] = false,
        ["norm_num_groups"] = 4,
        ["out_channels"] = 3,
        ["sample_size"] = TinyModelVariant.SampleSize * 8,
        ["scaling_factor"] = ScalingFactor,
    };

    private static JsonObject TextEncoder(TinyModelVariant variant) => new()
    {
        ["_name_or_path"] = "tiny-clip-text",
        ["architectures"] = new JsonArray("CLIPTextModel"),
        ["hidden_act"] = "gelu",
        ["hidden_size"] = variant.TextWidth,
        ["intermediate_size"] = 4 * variant.TextWidth,
        ["max_position_embeddings"] = TinyModelVariant.MaxTokens,
        ["model_type"] = "clip_text_model",
        ["num_attention_heads"] = 1,
        ["num_hidden_layers"] = 1,
        ["torch_dtype"] = variant.Fp16 ? "float16" : "float32",
        ["vocab_size"] = TinyTokenizerFiles.Vocabulary().Count,
    };
}
