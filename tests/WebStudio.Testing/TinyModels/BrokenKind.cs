namespace WebStudio.Testing.TinyModels;

/// <summary>Ways <see cref="TinyStableDiffusion.WriteBroken"/> can damage a model folder, for error-message tests.</summary>
public enum BrokenKind
{
    /// <summary>unet/model.onnx deleted.</summary>
    MissingUnet,

    /// <summary>tokenizer/merges.txt deleted.</summary>
    MissingMerges,

    /// <summary>The UNet's first input is called "latents" instead of "sample".</summary>
    MisnamedUnetInput,

    /// <summary>unet/model.onnx_data deleted (optimum layout).</summary>
    MissingExternalData,

    /// <summary>unet/model.onnx_data cut to half its length.</summary>
    TruncatedExternalData,

    /// <summary>model_index.json is not valid JSON.</summary>
    MalformedModelIndex,
}
