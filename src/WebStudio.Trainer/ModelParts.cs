namespace WebStudio.Trainer;

/// <summary>The SD folder's part names: each part's folder and graph, and the checkpoint file of the module that
/// becomes it (an EMA copy's checkpoint adds "_ema").</summary>
internal static class ModelParts
{
    public const string TextEncoder = "text_encoder";
    public const string UNet = "unet";
    public const string VaeEncoder = "vae_encoder";
    public const string VaeDecoder = "vae_decoder";

    public static string Ema(string part) => part + "_ema";
}
