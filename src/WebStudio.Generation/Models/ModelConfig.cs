using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Generation.Models;

/// <summary>
/// The figures a pipeline needs from a model folder's JSON files: model_index.json (required),
/// unet/config.json and vae_decoder/config.json (optional; exporters do not always copy them).
/// Defaults are SD 1.5's.
/// </summary>
public sealed record ModelConfig
{
    public const float DefaultScalingFactor = 0.18215f;

    /// <summary>SDXL's VAE scaling_factor.</summary>
    public const float XlScalingFactor = 0.13025f;

    /// <summary>The diffusers pipeline class named by model_index.json.</summary>
    public string PipelineClass { get; init; } = "";

    /// <summary>UNet input channels of an InstructPix2Pix model: the noisy latents and the input image's latents.</summary>
    public const int InstructPix2PixUNetChannels = 8;

    // diffusers' own class, the community ONNX pipeline's, and optimum's ORT wrapper's.
    private static readonly string[] InstructPix2PixClasses =
        ["StableDiffusionInstructPix2PixPipeline", "OnnxStableDiffusionInstructPix2PixPipeline", "ORTStableDiffusionInstructPix2PixPipeline"];

    /// <summary>Whether model_index.json names an InstructPix2Pix pipeline (an instruction-editing model); loading
    /// checks that its UNet takes <see cref="InstructPix2PixUNetChannels"/> channels.</summary>
    public bool IsInstructPix2Pix => InstructPix2PixClasses.Contains(PipelineClass, StringComparer.Ordinal);

    /// <summary>The model's latent space: <see cref="ModelFamily.StableDiffusionXL"/> where model_index.json names an SDXL
    /// pipeline or lists text_encoder_2.</summary>
    public ModelFamily Family { get; init; } = ModelFamily.StableDiffusion;

    public bool IsXl => Family == ModelFamily.StableDiffusionXL;

    /// <summary>SDXL: an empty negative prompt is zeros rather than encoded text (diffusers' force_zeros_for_empty_prompt;
    /// the base's model_index.json sets it, the refiner's clears it).</summary>
    public bool ForceZerosForEmptyPrompt { get; init; }

    /// <summary>SDXL refiner: time_ids end with the aesthetic score (5 values) instead of the target size.</summary>
    public bool RequiresAestheticsScore { get; init; }

    /// <summary>SDXL: a float16 VAE is decoded in float32 (its activations overflow in float16), unless the VAE's config
    /// says force_upcast false, as fixed fp16 VAEs do.</summary>
    public bool ForceUpcast { get; init; }

    /// <summary>Latents are multiplied by this after encoding and divided by it before decoding.</summary>
    public float ScalingFactor { get; init; } = DefaultScalingFactor;

    /// <summary>Pixels per latent cell along each side (8 for SD).</summary>
    public int VaeScaleFactor { get; init; } = 8;

    /// <summary>The latent side the UNet was trained at, or null when the folder does not say.</summary>
    public int? SampleSize { get; init; }

    /// <summary>Width of the guidance-scale embedding of LCM UNets (0 when the UNet has none).</summary>
    public int TimeCondProjDim { get; init; }

    public int NativeSize => (SampleSize ?? 64) * VaeScaleFactor;

    /// <summary>How often the UNet halves the latent on its way down (one per down block but the last), or 0 when
    /// the folder does not say.</summary>
    public int UNetDownsamplings { get; init; }

    /// <summary>What an image's sides must be a multiple of: each UNet halving must land on whole latent cells, so
    /// that the up path's doubling meets its skip connection (an exported graph doubles; it does not resize to fit).</summary>
    public int SizeMultiple => VaeScaleFactor << UNetDownsamplings;

    public static ModelConfig Read(string folder)
    {
        var index = DiffusersJson.Read<ModelIndexFile>(folder, "model_index.json", required: true)!;
        var unet = DiffusersJson.Read<UNetConfigFile>(folder, Path.Combine("unet", "config.json"), required: false);
        var vae = DiffusersJson.Read<VaeConfigFile>(folder, Path.Combine("vae_decoder", "config.json"), required: false);
        return FromFiles(index, unet, vae);
    }

    internal static ModelConfig FromFiles(ModelIndexFile index, UNetConfigFile? unet, VaeConfigFile? vae)
    {
        var xl = (index.ClassName ?? "").Contains("StableDiffusionXL", StringComparison.Ordinal) || index.TextEncoder2 is [_, not null];
        return FromFiles(index, unet, vae, xl);
    }

    private static ModelConfig FromFiles(ModelIndexFile index, UNetConfigFile? unet, VaeConfigFile? vae, bool xl) => new()
    {
        PipelineClass = index.ClassName ?? "",
        Family = xl ? ModelFamily.StableDiffusionXL : ModelFamily.StableDiffusion,
        // diffusers' SDXL pipelines default force_zeros_for_empty_prompt to true and requires_aesthetics_score to false.
        ForceZerosForEmptyPrompt = xl && (index.ForceZerosForEmptyPrompt ?? true),
        RequiresAestheticsScore = xl && (index.RequiresAestheticsScore ?? false),
        ForceUpcast = xl && (vae?.ForceUpcast ?? true),
        ScalingFactor = vae?.ScalingFactor ?? index.VaeScalingFactor ?? (xl ? XlScalingFactor : DefaultScalingFactor),
        VaeScaleFactor = vae?.BlockOutChannels is { Length: > 0 } blocks ? 1 << (blocks.Length - 1) : 8,
        SampleSize = unet?.SampleSize,
        UNetDownsamplings = unet?.DownBlockTypes is { Length: > 0 } down ? down.Length - 1 : 0,
        TimeCondProjDim = unet?.TimeCondProjDim ?? 0,
    };
}
