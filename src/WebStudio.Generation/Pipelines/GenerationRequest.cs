using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// Everything one generation needs. Prompt weighting uses A1111 syntax: <c>(word:1.3)</c>, <c>(word)</c> = ×1.1,
/// <c>[word]</c> = ÷1.1. Batch images use seeds Seed, Seed+1, … as A1111 does, except with a variation seed (below).
/// </summary>
public sealed record GenerationRequest
{
    public const int MinSteps = 1, MaxSteps = 150;
    public const float MinGuidance = 0f, MaxGuidance = 30f;
    public const int MinSize = 64, MaxSize = 2048, SizeMultiple = 8;
    public const int MaxPromptLength = 2000;
    public const int MinBatch = 1, MaxBatch = 8;
    public const int MaxOnlyMaskedPadding = 256;
    public const int MaxMaskFeather = 64, DefaultMaskFeather = 4;

    public string Prompt { get; init; } = "";
    public string NegativePrompt { get; init; } = "";
    public int Steps { get; init; } = 20;
    public float Guidance { get; init; } = 7f;
    public long Seed { get; init; }
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;

    /// <summary>A scheduler name from <see cref="Schedulers.SchedulerNames"/> (A1111 sampler names such as "Euler a").</summary>
    public string Scheduler { get; init; } = "Euler a";

    public int BatchSize { get; init; } = 1;

    /// <summary>
    /// A1111's "Variation seed": a second seed whose starting noise is blended into <see cref="Seed"/>'s by
    /// <see cref="VariationStrength"/> (0 keeps the seed's picture, 1 is the variation seed's own), so that a picture
    /// one likes can be varied a little. As in A1111, every image of the batch then keeps <see cref="Seed"/> and takes
    /// its own variation seed: VariationSeed, VariationSeed+1, …. Null, or a strength of 0: no variation.
    /// </summary>
    public long? VariationSeed { get; init; }

    /// <summary>How much of the variation seed's noise the start takes, from 0 to 1.</summary>
    public float VariationStrength { get; init; }

    /// <summary>diffusers' guidance_rescale (InvokeAI's "CFG Rescale Multiplier", ComfyUI's RescaleCFG), from 0 (off) to
    /// 1: how far each guided prediction is scaled back to the spread of the prompt's own, which keeps a high CFG
    /// scale from over-exposing the picture (Lin et al. 2023, §3.4; 0.7 is the paper's).</summary>
    public float GuidanceRescale { get; init; }

    /// <summary>Whether the start blends in a variation seed's noise.</summary>
    public bool Varies => VariationSeed is not null && VariationStrength > 0f;

    /// <summary>The seed image <paramref name="index"/> of the batch starts from.</summary>
    public long SeedOf(int index) => Varies ? Seed : Seed + index;

    /// <summary>The variation seed of image <paramref name="index"/> of the batch; null when the batch is not varied.</summary>
    public long? VariationSeedOf(int index) => VariationSeedOf(VariationSeed, VariationStrength, index);

    /// <summary>The batch rule of <see cref="VariationSeed"/>, for a stored job that is not a request yet.</summary>
    public static long? VariationSeedOf(long? variationSeed, float strength, int index) =>
        variationSeed is { } seed && strength > 0f ? seed + index : null;

    /// <summary>The source image of img2img and inpainting, Width × Height pixels. Null for txt2img.</summary>
    public Image<Rgb24>? InitImage { get; init; }

    /// <summary>Inpainting mask, the size of the image: white (255) is repainted, black is kept byte for byte.</summary>
    public Image<L8>? Mask { get; init; }

    /// <summary>How far img2img departs from the source: 0 returns it (after a VAE round trip), 1 ignores it.</summary>
    public float Strength { get; init; } = 0.75f;

    /// <summary>
    /// Asks for an instruction edit of <see cref="InitImage"/> by <see cref="Prompt"/>, with these scales; only an
    /// InstructPix2Pix-format model takes it. Such a model runs every request as one (with the defaults when this is
    /// null), so it always needs <see cref="InitImage"/>. A <see cref="Mask"/> limits the edit to its area.
    /// </summary>
    public InstructionEdit? InstructionEdit { get; init; }

    /// <summary>A refiner that finishes the run in the same job (SDXL base then refiner), or null.</summary>
    public RefinerPass? Refiner { get; init; }

    /// <summary>Pixels over which the mask edge is feathered inward before the original is pasted back.</summary>
    public int MaskFeather { get; init; } = DefaultMaskFeather;

    /// <summary>A1111's "Inpaint area: Only masked": inpaint the masked area plus <see cref="OnlyMaskedPadding"/>
    /// pixels, scaled up to Width × Height, then scale it back into place. Without a mask it does nothing.</summary>
    public bool InpaintOnlyMasked { get; init; }

    /// <summary>Context kept around the mask with <see cref="InpaintOnlyMasked"/>, in pixels; null for
    /// <see cref="DefaultOnlyMaskedPadding"/>.</summary>
    public int? OnlyMaskedPadding { get; init; }

    /// <summary>
    /// 7/32 of the shorter side, at most <see cref="MaxDefaultOnlyMaskedPadding"/>: 28 pixels at the built-in model's
    /// 128 (A1111's 32 at 512 would be 8 there). Chosen by measurement (issue 20; <c>builtin-figures --only
    /// inpaint</c>): with 8 pixels of context the model painted a whole-picture prompt in miniature into the mask (3
    /// of 20 replacements right), with 28 it drew only the new object there (20 of 20, and 19 of 20 objects added to
    /// an empty corner). The fraction alone would give 112 pixels at 512, more context than Stable Diffusion models
    /// need, and a smaller share of the crop for the masked area: they keep A1111's 32.
    /// </summary>
    public static int DefaultOnlyMaskedPadding(int width, int height) => Math.Clamp(Math.Min(width, height) * 7 / 32, 1, MaxDefaultOnlyMaskedPadding);

    /// <summary>A1111's default "Only masked padding, pixels" for 512-pixel models.</summary>
    public const int MaxDefaultOnlyMaskedPadding = 32;
}
