using System.Text.Json.Nodes;

using WebStudio.Onnx;

namespace WebStudio.SdSynth;

/// <summary>model_index.json, the scheduler config and each component's config.json, with SD 1.5's values.</summary>
internal static class SynthConfigFiles
{
    private const string DiffusersVersion = "0.30.0";
    private const double ScalingFactor = 0.18215;

    public static void Write(string folder, SdArchitecture a, bool fp16)
    {
        DiffusersJson.Write(Path.Combine(folder, "model_index.json"), new JsonObject
        {
            ["_class_name"] = "ORTStableDiffusionPipeline",
            ["_diffusers_version"] = DiffusersVersion,
            ["feature_extractor"] = DiffusersJson.Pair(null, null),
            ["requires_safety_checker"] = false,
            ["safety_checker"] = DiffusersJson.Pair(null, null),
            ["scheduler"] = DiffusersJson.Pair("diffusers", "PNDMScheduler"),
            ["text_encoder"] = DiffusersJson.Pair("transformers", "CLIPTextModel"),
            ["tokenizer"] = DiffusersJson.Pair("transformers", "CLIPTokenizer"),
            ["unet"] = DiffusersJson.Pair("diffusers", "UNet2DConditionModel"),
            ["vae_decoder"] = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
            ["vae_encoder"] = DiffusersJson.Pair("diffusers", "AutoencoderKL"),
        });
        DiffusersJson.Write(Path.Combine(folder, "scheduler", "scheduler_config.json"), DiffusersJson.StableDiffusionScheduler("PNDMScheduler", DiffusersVersion));
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.TextEncoder, "config.json"), new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPTextModel"),
            ["hidden_act"] = "quick_gelu",
            ["hidden_size"] = a.TextWidth,
            ["intermediate_size"] = a.TextMlpWidth,
            ["max_position_embeddings"] = a.MaxPositions,
            ["model_type"] = "clip_text_model",
            ["num_attention_heads"] = a.TextHeads,
            ["num_hidden_layers"] = a.TextLayers,
            ["projection_dim"] = a.TextWidth,
            ["torch_dtype"] = fp16 ? "float16" : "float32",
            ["vocab_size"] = a.VocabularySize,
        });
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.UNet, "config.json"), new JsonObject
        {
            ["_class_name"] = "UNet2DConditionModel",
            ["_diffusers_version"] = DiffusersVersion,
            ["act_fn"] = "silu",
            ["attention_head_dim"] = a.UNetHeads,
            ["block_out_channels"] = DiffusersJson.Ints(a.UNetChannels),
            ["center_input_sample"] = false,
            ["cross_attention_dim"] = a.CrossAttentionDim,
            ["down_block_types"] = DiffusersJson.Strings(a.UNetChannels.Select((_, i) => i < a.UNetChannels.Length - 1 ? "CrossAttnDownBlock2D" : "DownBlock2D")),
            ["downsample_padding"] = 1,
            ["flip_sin_to_cos"] = true,
            ["freq_shift"] = 0,
            ["in_channels"] = a.LatentChannels,
            ["layers_per_block"] = a.UNetLayersPerBlock,
            ["mid_block_scale_factor"] = 1,
            ["norm_eps"] = 1e-05,
            ["norm_num_groups"] = a.NormGroups,
            ["out_channels"] = a.LatentChannels,
            ["sample_size"] = a.SampleSize,
            ["up_block_types"] = DiffusersJson.Strings(a.UNetChannels.Select((_, i) => i == 0 ? "UpBlock2D" : "CrossAttnUpBlock2D")),
        });
        var vae = new JsonObject
        {
            ["_class_name"] = "AutoencoderKL",
            ["_diffusers_version"] = DiffusersVersion,
            ["act_fn"] = "silu",
            ["block_out_channels"] = DiffusersJson.Ints(a.VaeChannels),
            ["in_channels"] = 3,
            ["latent_channels"] = a.LatentChannels,
            ["layers_per_block"] = a.VaeLayersPerBlock,
            ["norm_num_groups"] = a.NormGroups,
            ["out_channels"] = 3,
            ["sample_size"] = a.SampleSize * 8,
            ["scaling_factor"] = ScalingFactor,
        };
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeDecoder, "config.json"), vae);
        DiffusersJson.Write(Path.Combine(folder, SynthComponents.VaeEncoder, "config.json"), vae.DeepClone());
    }
}
