using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
namespace WebStudio.Web.Api;

public enum ImageOperation
{
    Generation,
    Edit,
    Variation,
}

/// <summary>
/// One validated Images API request, whichever endpoint it came through. <see cref="Size"/> is null for "auto";
/// the uploads are the raw files (decoded and checked later by the imaging upload rules).
/// </summary>
public sealed record ImageRequest
{
    public ImageOperation Operation { get; init; }
    public string Prompt { get; init; } = "";
    public string? Model { get; init; }
    public int N { get; init; } = 1;
    public (int Width, int Height)? Size { get; init; }
    public string Quality { get; init; } = "auto";
    public string ResponseFormat { get; init; } = "b64_json";
    public string OutputFormat { get; init; } = "png";
    public int? OutputCompression { get; init; }
    public string Background { get; init; } = "auto";
    public string? User { get; init; }
    public bool Stream { get; init; }
    public int PartialImages { get; init; }
    public byte[]? Image { get; init; }
    public byte[]? Mask { get; init; }

    // WebStudio's extension fields (OpenAI's SDKs send them as extra body fields); null: the studio's default.
    public long? Seed { get; init; }
    public string? NegativePrompt { get; init; }
    public int? Steps { get; init; }
    public float? GuidanceScale { get; init; }

    /// <summary>CFG rescale (diffusers' guidance_rescale), 0 (off) to 1; null: off.</summary>
    public float? GuidanceRescale { get; init; }

    /// <summary>An instruction model's image guidance (diffusers' image_guidance_scale); ignored by other models.</summary>
    public float? ImageGuidanceScale { get; init; }

    /// <summary>An instruction model's automatic mask: a threshold, 0 for off, null for the model's own (its card's).</summary>
    public float? AutoMask { get; init; }
    public string? Sampler { get; init; }
    public string? Refiner { get; init; }
    public float? RefinerSwitchAt { get; init; }

    /// <summary>A1111's variation seed of a generation (null: a random one) and its strength (null or 0: none).</summary>
    public long? VariationSeed { get; init; }
    public float? VariationStrength { get; init; }

    /// <summary>The event-name stem of streamed events: image_generation.* or image_edit.*.</summary>
    public string EventPrefix => Operation == ImageOperation.Edit ? "image_edit" : "image_generation";
}
