using System.Text.Json.Serialization;
using WebStudio.Data;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Editing;

/// <summary>An edit as the Edit page and POST /api/edits send it; the pixels are referenced by id, never inline.</summary>
public sealed record EditRequest
{
    [JsonConverter(typeof(JsonStringEnumConverter<EditOperation>))]
    public EditOperation Operation { get; init; } = EditOperation.Restyle;

    /// <summary>"image:{id}" (history or gallery) or "upload:{id}" (POST /api/uploads).</summary>
    public string Source { get; init; } = "";

    /// <summary>A mask from POST /api/masks (white = repaint), the size of the source; inpainting only.</summary>
    public Guid? MaskId { get; init; }

    public string Prompt { get; init; } = "";
    public string NegativePrompt { get; init; } = "";
    public string Model { get; init; } = "";
    public string Scheduler { get; init; } = "Euler a";
    public int Steps { get; init; } = 20;
    public float Guidance { get; init; } = 7f;

    /// <summary>-1 picks a random seed.</summary>
    public long Seed { get; init; } = -1;

    /// <summary>How far the result departs from the source (restyle, inpaint, hires fix); outpainting always uses 1.</summary>
    public float Strength { get; init; } = 0.6f;

    /// <summary>Inpainting's "Inpaint area", as in A1111: true ("Only masked") inpaints the masked area and its padding
    /// at the full size and scales it back, so a small mask gets the model's whole resolution; false is "Whole picture".</summary>
    public bool OnlyMasked { get; init; } = true;

    /// <summary>Pixels of context kept around the mask with <see cref="OnlyMasked"/>; null for 1/16 of the image's
    /// shorter side (A1111's 32 at 512).</summary>
    public int? OnlyMaskedPadding { get; init; }

    /// <summary>Inpaint and outpaint: A1111's "Mask blur", pixels over which the mask's edge is feathered (0–64).</summary>
    public int MaskBlur { get; init; } = GenerationRequest.DefaultMaskFeather;

    public int OutpaintLeft { get; init; }
    public int OutpaintTop { get; init; }
    public int OutpaintRight { get; init; }
    public int OutpaintBottom { get; init; }

    /// <summary>2 or 4 for Lanczos and the hires fix; ignored with an ONNX upscaler (its own scale applies).</summary>
    public int UpscaleFactor { get; init; } = 2;

    /// <summary>An ONNX upscaler's name from models/upscalers, or null for Lanczos.</summary>
    public string? Upscaler { get; init; }
}
