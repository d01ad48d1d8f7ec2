using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

public enum PreviewKind
{
    /// <summary><see cref="LatentRgbPreview"/>: latent resolution, a few microseconds.</summary>
    Projection,

    /// <summary><see cref="TinyAutoencoderDecoder"/> (TAESD): full resolution, a few milliseconds on CPU at 512².</summary>
    TinyAutoencoder,

    /// <summary><see cref="VaePreviewDecoder"/>: the model's own decoder.</summary>
    Vae,
}

/// <summary>One way of drawing a frame from the scheduler's predicted clean latents (sample 0).</summary>
public sealed class PreviewSource(PreviewKind kind, string name, Func<Latents, RgbFrame> decode)
{
    public PreviewKind Kind { get; } = kind;

    /// <summary>What draws the frames, for logs: the projection's family or the decoder's file.</summary>
    public string Name { get; } = name;

    public RgbFrame Decode(Latents predictedOriginal) => decode(predictedOriginal);

    public static PreviewSource Projection(ModelFamily family) =>
        new(PreviewKind.Projection, $"the latent→RGB projection for {family}", x0 => LatentRgbPreview.Decode(x0, 0, family));

    public static PreviewSource Tiny(TinyAutoencoderDecoder decoder) =>
        new(PreviewKind.TinyAutoencoder, decoder.DisplayName, x0 => decoder.Decode(x0));

    public static PreviewSource Vae(VaePreviewDecoder decoder) =>
        new(PreviewKind.Vae, "the model's VAE decoder", x0 => decoder.Decode(x0));
}
