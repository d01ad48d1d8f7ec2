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

    /// <summary>An instruction-editing model whose VAE encoder returns mean and log-variance (latent_parameters), so
    /// that the mode differs from a posterior sample.</summary>
    public static TinyModelVariant InstructEditOptimum => Optimum with { InstructPix2Pix = true };

    /// <summary>The biggest test model (text width 128, 128 UNet channels), used by the benchmark.</summary>
    public static TinyModelVariant Largest => new() { Scale = 4 };

    /// <summary>Text encoder hidden size (cross_attention_dim).</summary>
    public int TextWidth => 32 * Scale;

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
