using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Testing.TinyModels;

/// <summary>Which exporter's conventions a tiny model folder follows.</summary>
public enum TinyExporter
{
    /// <summary>diffusers' convert_stable_diffusion_checkpoint_to_onnx.py: int32 input_ids, int64 timestep [batch], inline weights.</summary>
    DiffusersScript,

    /// <summary>optimum-cli export onnx: int64 input_ids, rank-0 float timestep, latent_parameters, model.onnx_data.</summary>
    Optimum,

    /// <summary>OnnxStack-style: int32 input_ids, float timestep [batch], latent_sample, weights.pb.</summary>
    OnnxStack,
}

/// <summary>Which SDXL pipeline a tiny folder is laid out for (None: SD 1.x/2.x).</summary>
public enum TinyXl
{
    None,

    /// <summary>StableDiffusionXLPipeline: text_encoder (CLIP-L shape) and text_encoder_2 (with projection), time_ids of 6.</summary>
    Base,

    /// <summary>StableDiffusionXLImg2ImgPipeline as the refiner ships: text_encoder_2 only, time_ids of 5 (aesthetic score).</summary>
    Refiner,
}

/// <summary>
/// Options for <see cref="TinyStableDiffusion.Write"/>: one exporter's conventions plus the model-family
/// differences the core must handle. Options combine freely (e.g. Optimum + Fp16 + Lcm).
/// </summary>
public sealed record TinyModelVariant
{
    public TinyExporter Exporter { get; init; } = TinyExporter.DiffusersScript;

    /// <summary>UNet batch fixed to 1, so classifier-free guidance must run as two calls.</summary>
    public bool FixedBatch1 { get; init; }

    /// <summary>UNet's encoder_hidden_states fixed to 77 tokens (the diffusers script and optimum leave the length
    /// symbolic, so long prompts' windows can follow one another; some hand-made exports fix it).</summary>
    public bool FixedTextLength { get; init; }

    /// <summary>UNet takes timestep_cond [batch, 256] (config time_cond_proj_dim 256) and the scheduler is LCM.</summary>
    public bool Lcm { get; init; }

    /// <summary>UNet in_channels 9: latents, mask, masked-image latents.</summary>
    public bool Inpainting { get; init; }

    /// <summary>InstructPix2Pix: UNet in_channels 8 (latents, input image latents), model_index.json class
    /// StableDiffusionInstructPix2PixPipeline (optimum's ORT wrapper's name for <see cref="TinyExporter.Optimum"/>).</summary>
    public bool InstructPix2Pix { get; init; }

    /// <summary>Every float input, output and weight is float16.</summary>
    public bool Fp16 { get; init; }

    /// <summary>SD 2.x tokenizer: pad token "!" (id 0) instead of &lt;|endoftext|&gt;.</summary>
    public bool Sd2Tokenizer { get; init; }

    /// <summary>The SDXL layout (optimum's export names: text_encoder_2, tokenizer_2, UNet text_embeds and time_ids).</summary>
    public TinyXl Xl { get; init; }

    /// <summary>SDXL-Turbo / SD-Turbo: scheduler timestep_spacing "trailing" (EulerAncestral), meant for 1–4 steps at guidance 0.</summary>
    public bool Turbo { get; init; }

    /// <summary>The VAE config says force_upcast false: a fixed fp16 VAE (as madebyollin's sdxl-vae-fp16-fix) that may decode in fp16.</summary>
    public bool FixedFp16Vae { get; init; }

    /// <summary>Multiplies the text width and all channel counts; 1 is tiny, <see cref="Largest"/> is for benchmarks.</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Seed of the random weights; the same variant always writes the same bytes.</summary>
    public int Seed { get; init; } = 1234;

    public static TinyModelVariant DiffusersScript => new();
    public static TinyModelVariant Optimum => new() { Exporter = TinyExporter.Optimum };
    public static TinyModelVariant OnnxStack => new() { Exporter = TinyExporter.OnnxStack };
    public static TinyModelVariant FixedBatch => new() { FixedBatch1 = true };
    public static TinyModelVariant FixedText => new() { FixedTextLength = true };
    public static TinyModelVariant LatentConsistency => new() { Lcm = true };
    public static TinyModelVariant Inpaint => new() { Inpainting = true };
    public static TinyModelVariant Half => new() { Fp16 = true };
    public static TinyModelVariant Sd2 => new() { Sd2Tokenizer = true };
    public static TinyModelVariant InstructEdit => new() { InstructPix2Pix = true };

    /// <summary>SDXL base in optimum's layout (int64 ids, rank-0 float timestep, model.onnx_data).</summary>
    public static TinyModelVariant SdxlBase => new() { Exporter = TinyExporter.Optimum, Xl = TinyXl.Base };
    public static TinyModelVariant SdxlRefiner => SdxlBase with { Xl = TinyXl.Refiner };
    public static TinyModelVariant SdxlTurbo => SdxlBase with { Turbo = true };

    /// <summary>SD-Turbo: the SD 2.1 layout (pad "!") with trailing spacing.</summary>
    public static TinyModelVariant SdTurbo => new() { Exporter = TinyExporter.Optimum, Sd2Tokenizer = true, Turbo = true };

    /// <summary>An instruction-editing model whose VAE encoder returns mean and log-variance (latent_parameters), so
    /// that the mode differs from a posterior sample.</summary>
    public static TinyModelVariant InstructEditOptimum => Optimum with { InstructPix2Pix = true };

    /// <summary>The biggest test model (text width 128, 128 UNet channels), used by the benchmark.</summary>
    public static TinyModelVariant Largest => new() { Scale = 4 };

    /// <summary>The UNet's text width (cross_attention_dim): for SDXL, both encoders' widths joined (the refiner: encoder 2's).</summary>
    public int TextWidth => Xl switch
    {
        TinyXl.Base => Text1Width + Text2Width,
        TinyXl.Refiner => Text2Width,
        _ => Text1Width,
    };

    /// <summary>text_encoder's hidden size (CLIP ViT-L's 768 in SDXL).</summary>
    public int Text1Width => 32 * Scale;

    /// <summary>text_encoder_2's hidden size (OpenCLIP bigG's 1280).</summary>
    public int Text2Width => 48 * Scale;

    /// <summary>text_encoder_2's projection width, the UNet's text_embeds (1280 in SDXL).</summary>
    public int PooledWidth => 24 * Scale;

    /// <summary>Transformer layers of each SDXL tiny text encoder: hidden_states.0 (embeddings) to hidden_states.N.</summary>
    public const int XlTextLayers = 2;

    /// <summary>Width of each time id's sinusoidal embedding (addition_time_embed_dim; 256 in SDXL).</summary>
    public const int AdditionTimeEmbedDim = 8;

    /// <summary>6 values (original size, crop top-left, target size), the refiner's 5 (aesthetic score for target size).</summary>
    public int TimeIdCount => Xl == TinyXl.Refiner ? 5 : 6;

    public bool IsXl => Xl != TinyXl.None;

    public int UNetChannels => 32 * Scale;

    public int VaeChannels => 16 * Scale;

    public int UNetInChannels => Inpainting ? 9 : InstructPix2Pix ? 2 * LatentChannels : LatentChannels;

    public const int LatentChannels = 4;
    public const int MaxTokens = 77;
    public const int TimeCondDim = 256;

    /// <summary>Default latent size (config sample_size); images default to 8× this.</summary>
    public const int SampleSize = 8;

    public DataType FloatType => Fp16 ? DataType.Float16 : DataType.Float;

    public DataType InputIdsType => Exporter == TinyExporter.Optimum ? DataType.Int64 : DataType.Int32;

    public DataType TimestepType => Exporter == TinyExporter.DiffusersScript ? DataType.Int64 : FloatType;

    /// <summary>Optimum exports a rank-0 timestep; the others one value per batch entry.</summary>
    public bool ScalarTimestep => Exporter == TinyExporter.Optimum;

    /// <summary>Optimum's encoder returns mean and log-variance (8 channels) as latent_parameters.</summary>
    public string EncoderOutputName => Exporter == TinyExporter.Optimum ? "latent_parameters" : "latent_sample";

    public int EncoderOutputChannels => Exporter == TinyExporter.Optimum ? 2 * LatentChannels : LatentChannels;

    /// <summary>Where the UNet's weights go: inline (null), model.onnx_data or weights.pb.</summary>
    public ExternalDataOptions? UNetExternalData => Exporter switch
    {
        TinyExporter.Optimum => ExternalDataOptions.Optimum,
        TinyExporter.OnnxStack => ExternalDataOptions.DiffusersScript,
        _ => null,
    };

    /// <summary>Every variant the tests cover, one per difference.</summary>
    public static IReadOnlyList<TinyModelVariant> All =>
        [DiffusersScript, Optimum, OnnxStack, FixedBatch, LatentConsistency, Inpaint, Half, Sd2,
         Optimum with { Fp16 = true, Lcm = true }];
}
