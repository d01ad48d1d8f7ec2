using WebStudio.Generation.Models;
using WebStudio.Generation.Models.Diffusers;
using WebStudio.Generation.Schedulers;

namespace WebStudio.Generation.Tests.Models;

/// <summary>Config files as diffusers and its exporters really write them (SD 1.5, SD 2.1, SDXL, LCM: extra keys,
/// per-level lists, nulls) read through the snake_case records into what the pipeline and the memory estimate use.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DiffusersConfigFileTests
{
    private const string Sd15ModelIndex = """
        {
          "_class_name": "StableDiffusionPipeline",
          "_diffusers_version": "0.6.0",
          "feature_extractor": ["transformers", "CLIPImageProcessor"],
          "image_encoder": [null, null],
          "requires_safety_checker": true,
          "safety_checker": ["stable_diffusion", "StableDiffusionSafetyChecker"],
          "scheduler": ["diffusers", "PNDMScheduler"],
          "text_encoder": ["transformers", "CLIPTextModel"],
          "tokenizer": ["transformers", "CLIPTokenizer"],
          "unet": ["diffusers", "UNet2DConditionModel"],
          "vae": ["diffusers", "AutoencoderKL"]
        }
        """;

    private const string Sd15UNet = """
        {
          "_class_name": "UNet2DConditionModel",
          "_diffusers_version": "0.6.0",
          "act_fn": "silu",
          "attention_head_dim": 8,
          "block_out_channels": [320, 640, 1280, 1280],
          "center_input_sample": false,
          "cross_attention_dim": 768,
          "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
          "downsample_padding": 1,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 2,
          "mid_block_scale_factor": 1,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "out_channels": 4,
          "sample_size": 64,
          "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]
        }
        """;

    private const string Sd15Vae = """
        {
          "_class_name": "AutoencoderKL",
          "_diffusers_version": "0.6.0",
          "act_fn": "silu",
          "block_out_channels": [128, 256, 512, 512],
          "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
          "in_channels": 3,
          "latent_channels": 4,
          "layers_per_block": 2,
          "norm_num_groups": 32,
          "out_channels": 3,
          "sample_size": 512,
          "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]
        }
        """;

    private const string Sd21UNet = """
        {
          "_class_name": "UNet2DConditionModel",
          "_diffusers_version": "0.10.0.dev0",
          "act_fn": "silu",
          "attention_head_dim": [5, 10, 20, 20],
          "block_out_channels": [320, 640, 1280, 1280],
          "center_input_sample": false,
          "cross_attention_dim": 1024,
          "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
          "downsample_padding": 1,
          "dual_cross_attention": false,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 2,
          "mid_block_scale_factor": 1,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "num_class_embeds": null,
          "only_cross_attention": false,
          "out_channels": 4,
          "sample_size": 96,
          "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
          "upcast_attention": true,
          "use_linear_projection": true
        }
        """;

    private const string SdxlUNet = """
        {
          "_class_name": "UNet2DConditionModel",
          "_diffusers_version": "0.19.0.dev0",
          "act_fn": "silu",
          "addition_embed_type": "text_time",
          "addition_embed_type_num_heads": 64,
          "addition_time_embed_dim": 256,
          "attention_head_dim": [5, 10, 20],
          "block_out_channels": [320, 640, 1280],
          "center_input_sample": false,
          "class_embed_type": null,
          "conv_in_kernel": 3,
          "cross_attention_dim": 2048,
          "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
          "downsample_padding": 1,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 2,
          "mid_block_scale_factor": 1.0,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "num_attention_heads": null,
          "only_cross_attention": [false, false, false],
          "out_channels": 4,
          "projection_class_embeddings_input_dim": 2816,
          "sample_size": 128,
          "time_cond_proj_dim": null,
          "transformer_layers_per_block": [1, 2, 10],
          "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
          "use_linear_projection": true
        }
        """;

    private const string SdxlVae = """
        {
          "_class_name": "AutoencoderKL",
          "_diffusers_version": "0.20.0.dev0",
          "act_fn": "silu",
          "block_out_channels": [128, 256, 512, 512],
          "force_upcast": true,
          "in_channels": 3,
          "latent_channels": 4,
          "layers_per_block": 2,
          "norm_num_groups": 32,
          "out_channels": 3,
          "sample_size": 1024,
          "scaling_factor": 0.13025
        }
        """;

    private const string LcmScheduler = """
        {
          "_class_name": "LCMScheduler",
          "_diffusers_version": "0.22.0.dev0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "clip_sample": false,
          "clip_sample_range": 1.0,
          "dynamic_thresholding_ratio": 0.995,
          "num_train_timesteps": 1000,
          "original_inference_steps": 50,
          "prediction_type": "epsilon",
          "rescale_betas_zero_snr": false,
          "sample_max_value": 1.0,
          "set_alpha_to_one": true,
          "steps_offset": 1,
          "thresholding": false,
          "timestep_scaling": 10.0,
          "timestep_spacing": "leading",
          "trained_betas": null
        }
        """;

    private const string SdxlScheduler = """
        {
          "_class_name": "EulerDiscreteScheduler",
          "_diffusers_version": "0.19.0.dev0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "clip_sample": false,
          "interpolation_type": "linear",
          "num_train_timesteps": 1000,
          "prediction_type": "epsilon",
          "sample_max_value": 1.0,
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "timestep_spacing": "leading",
          "trained_betas": null,
          "use_karras_sigmas": false
        }
        """;

    [Fact]
    public void An_SD15_folder_reads_as_SD15()
    {
        using var folder = Folder(Sd15ModelIndex, Sd15UNet, Sd15Vae);
        var config = ModelConfig.Read(folder.Path);
        Assert.Equal("StableDiffusionPipeline", config.PipelineClass);
        Assert.Equal(ModelConfig.DefaultScalingFactor, config.ScalingFactor); // the SD 1.5 VAE config has none
        Assert.Equal(8, config.VaeScaleFactor);
        Assert.Equal(512, config.NativeSize);
        Assert.Equal(0, config.TimeCondProjDim);

        var shapes = ModelShapes.Read(folder.Path);
        // The VAE's widest full-resolution maps come from the 256-wide level above, which upsamples into it.
        Assert.Equal((320, 2, 8, 0, false, 256, true), (shapes.UNetChannels, shapes.LayersPerBlock, shapes.AttentionHeads,
            shapes.FirstAttentionLevel, shapes.OnlyCrossAttention, shapes.VaeChannels, shapes.VaeMidAttention));
    }

    [Fact]
    public void Per_level_head_counts_and_extra_keys_of_SD21_and_SDXL_are_read()
    {
        using var sd21 = Folder(Sd15ModelIndex, Sd21UNet, Sd15Vae);
        var sd21Shapes = ModelShapes.Read(sd21.Path);
        // 5, 10, 20, 20 heads by level: the largest maps are the first level's, at 5 heads.
        Assert.Equal(5, sd21Shapes.AttentionHeads);
        Assert.Equal(768, ModelConfig.Read(sd21.Path).NativeSize);

        using var sdxl = Folder(Sd15ModelIndex, SdxlUNet, SdxlVae);
        var config = ModelConfig.Read(sdxl.Path);
        Assert.Equal(0.13025f, config.ScalingFactor);
        Assert.Equal(1024, config.NativeSize);
        var shapes = ModelShapes.Read(sdxl.Path);
        // 5, 10, 20 heads by level, and the first level has no attention: level 1's 10 heads.
        Assert.Equal((10, 1, false, false), (shapes.AttentionHeads, shapes.FirstAttentionLevel, shapes.OnlyCrossAttention, shapes.GuidanceEmbedded));
    }

    [Fact]
    public void An_LCM_UNet_embeds_guidance()
    {
        using var folder = Folder(Sd15ModelIndex, Sd15UNet.Replace("\"sample_size\": 64", "\"sample_size\": 64, \"time_cond_proj_dim\": 256"), Sd15Vae);
        Assert.Equal(256, ModelConfig.Read(folder.Path).TimeCondProjDim);
        Assert.True(ModelShapes.Read(folder.Path).GuidanceEmbedded);
    }

    [Fact]
    public void Real_scheduler_configs_read_with_their_values()
    {
        var lcm = SchedulerConfig.FromJson(LcmScheduler);
        Assert.Equal((50, 10.0, true, "leading"), (lcm.OriginalInferenceSteps, lcm.TimestepScaling, lcm.SetAlphaToOne, lcm.TimestepSpacing));
        Assert.Null(lcm.TrainedBetas);

        var euler = SchedulerConfig.FromJson(SdxlScheduler);
        Assert.Equal(SchedulerConfig.StableDiffusionDefault, euler);
    }

    [Fact]
    public void Written_configs_are_indented_alphabetical_and_end_with_a_newline()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("scheduler", "scheduler_config.json");
        DiffusersJson.Write(path, SchedulerConfigFile.StableDiffusion("PNDMScheduler", "0.30.0"));
        Assert.Equal("""
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.30.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "clip_sample": false,
              "num_train_timesteps": 1000,
              "prediction_type": "epsilon",
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null
            }

            """.ReplaceLineEndings("\n"), File.ReadAllText(path));
    }

    [Fact]
    public void A_key_of_the_wrong_type_is_named_in_the_error()
    {
        using var folder = Folder(Sd15ModelIndex, Sd15UNet.Replace("\"sample_size\": 64", "\"sample_size\": \"big\""), Sd15Vae);
        var error = Assert.Throws<ModelLoadException>(() => ModelConfig.Read(folder.Path));
        Assert.Contains("unet/config.json", error.Message);
        Assert.Contains("sample_size", error.Message);
    }

    private static TempFolder Folder(string modelIndex, string unet, string vae)
    {
        var folder = new TempFolder();
        File.WriteAllText(folder.Combine("model_index.json"), modelIndex);
        Directory.CreateDirectory(folder.Combine("unet"));
        File.WriteAllText(folder.Combine("unet", "config.json"), unet);
        Directory.CreateDirectory(folder.Combine("vae_decoder"));
        File.WriteAllText(folder.Combine("vae_decoder", "config.json"), vae);
        return folder;
    }
}
