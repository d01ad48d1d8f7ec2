using System.Text.Json.Nodes;
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

    public void Write(ArchitectureConfig config, VaeEncoderNet encoder, VaeDecoderNet decoder, TextEncoderNet text, UNetNet unet, float scalingFactor)
    {
        ModelWriter.Save(TextEncoderGraph.Build(text), ModelPath(ModelParts.TextEncoder));
        ModelWriter.Save(UNetGraph.Build(unet), ModelPath(ModelParts.UNet));
        ModelWriter.Save(VaeGraphs.Encoder(encoder), ModelPath(ModelParts.VaeEncoder));
        ModelWriter.Save(VaeGraphs.Decoder(decoder), ModelPath(ModelParts.VaeDecoder));

        WriteJson("model_index.json", ModelIndex(scalingFactor));
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

    private void WriteJson(string relative, JsonObject json) => DiffusersJson.Write(Path.Combine(folder, relative), json);

    private static JsonArray Pair(string? library, string? type) => DiffusersJson.Pair(library, type);

    private static JsonArray Ints(IEnumerable<int> values) => DiffusersJson.Ints(values);

    private static JsonObject ModelIndex(float scalingFactor) => new()
    {
        ["_class_name"] = "OnnxStableDiffusionPipeline",
        ["_diffusers_version"] = DiffusersVersion,
        ["feature_extractor"] = Pair(null, null),
        ["requires_safety_checker"] = false,
        ["safety_checker"] = Pair(null, null),
        ["scheduler"] = Pair("diffusers", "EulerDiscreteScheduler"),
        ["text_encoder"] = Pair("diffusers", "OnnxRuntimeModel"),
        ["tokenizer"] = Pair("transformers", "CLIPTokenizer"),
        ["unet"] = Pair("diffusers", "OnnxRuntimeModel"),
        ["vae_decoder"] = Pair("diffusers", "OnnxRuntimeModel"),
        ["vae_encoder"] = Pair("diffusers", "OnnxRuntimeModel"),
        ["vae_scaling_factor"] = scalingFactor,
    };

    private static JsonObject Scheduler() => new()
    {
        ["_class_name"] = "EulerDiscreteScheduler",
        ["_diffusers_version"] = DiffusersVersion,
        ["beta_end"] = NoiseSchedule.BetaEnd,
        ["beta_schedule"] = "scaled_linear",
        ["beta_start"] = NoiseSchedule.BetaStart,
        ["clip_sample"] = false,
        ["interpolation_type"] = "linear",
        ["num_train_timesteps"] = NoiseSchedule.TrainSteps,
        ["prediction_type"] = "epsilon",
        ["set_alpha_to_one"] = false,
        ["skip_prk_steps"] = true,
        ["steps_offset"] = 1,
        ["timestep_spacing"] = "leading",
        ["trained_betas"] = null,
        ["use_karras_sigmas"] = false,
    };

    private static JsonObject UNetConfigJson(UNetConfig unet, float scalingFactor) => new()
    {
        ["_class_name"] = "UNet2DConditionModel",
        ["_diffusers_version"] = DiffusersVersion,
        ["attention_head_dim"] = unet.Heads,
        ["block_out_channels"] = Ints(unet.Channels),
        ["cross_attention_dim"] = unet.ContextDim,
        // Which levels have transformer blocks, as diffusers names them: the memory estimate reads it.
        ["down_block_types"] = DiffusersJson.Strings(unet.Channels.Select((_, level) => unet.HasAttention(level) ? "CrossAttnDownBlock2D" : "DownBlock2D")),
        ["in_channels"] = unet.InChannels,
        ["layers_per_block"] = 1,
        ["norm_num_groups"] = unet.Groups,
        ["out_channels"] = unet.InChannels,
        ["sample_size"] = ImageSize / VaeConfig.Downsampling,
        ["timestep_input"] = "float32 [batch]",
        ["vae_scaling_factor"] = scalingFactor,
    };

    private static JsonObject VaeConfigJson(VaeConfig vae, float scalingFactor) => new()
    {
        ["_class_name"] = "AutoencoderKL",
        ["_diffusers_version"] = DiffusersVersion,
        // diffusers (and the app) derive the VAE's scale factor as 2^(entries - 1): four entries say ×8. The
        // 4× pixel-unshuffle stem stands for the first two levels, so Width1 is listed for 128, 64 and 32 px.
        ["block_out_channels"] = Ints([vae.Width1, vae.Width1, vae.Width1, vae.Width2]),
        ["in_channels"] = 3,
        ["latent_channels"] = vae.LatentChannels,
        ["mid_block_add_attention"] = false, // no attention anywhere in this VAE
        ["out_channels"] = 3,
        ["sample_size"] = ImageSize,
        ["scaling_factor"] = scalingFactor,
    };

    private static JsonObject TextConfigJson(TextEncoderConfig text) => new()
    {
        ["architectures"] = new JsonArray("CLIPTextModel"),
        ["hidden_act"] = "gelu",
        ["hidden_size"] = text.Width,
        ["intermediate_size"] = 4 * text.Width,
        ["max_position_embeddings"] = text.MaxLength,
        ["model_type"] = "clip_text_model",
        ["num_attention_heads"] = text.Heads,
        ["num_hidden_layers"] = text.Layers,
        ["torch_dtype"] = "float32",
        ["vocab_size"] = text.VocabSize,
    };
}
