namespace WebStudio.Data;

/// <summary>What an edit job does with its source image.</summary>
public enum EditOperation
{
    /// <summary>img2img: the whole image redrawn at a strength.</summary>
    Restyle,
    Inpaint,

    /// <summary>The canvas extended on some sides, then the new area inpainted at strength 1.</summary>
    Outpaint,

    /// <summary>Lanczos or an ONNX super-resolution model; no diffusion.</summary>
    Upscale,

    /// <summary>Lanczos upscale, then img2img at low strength.</summary>
    HiresFix,
}

/// <summary>
/// The edit half of a job (null for txt2img), kept with the job for history. The pixels themselves (source and mask
/// at the size the job runs at) are files kept by the job input store until the job ends.
/// </summary>
public sealed class EditParameters
{
    public EditOperation Operation { get; set; }

    /// <summary>The history image the edit started from, when it came from history or a gallery.</summary>
    public Guid? SourceImageId { get; set; }

    /// <summary>The user's upload the edit started from, when it was uploaded.</summary>
    public Guid? SourceUploadId { get; set; }

    public float Strength { get; set; }

    public int OutpaintLeft { get; set; }
    public int OutpaintTop { get; set; }
    public int OutpaintRight { get; set; }
    public int OutpaintBottom { get; set; }

    /// <summary>2 or 4 for Upscale and HiresFix; 0 otherwise.</summary>
    public int UpscaleFactor { get; set; }

    /// <summary>An ONNX upscaler's name from models/upscalers, or null for Lanczos.</summary>
    public string? Upscaler { get; set; }

    /// <summary>Inpaint only: A1111's "Inpaint area: Only masked" (the masked area and its padding are inpainted at
    /// the full size, then scaled back); false is "Whole picture".</summary>
    public bool InpaintOnlyMasked { get; set; }

    /// <summary>Pixels of context around the mask with <see cref="InpaintOnlyMasked"/>; 0 otherwise.</summary>
    public int OnlyMaskedPadding { get; set; }

    /// <summary>Inpaint and outpaint: A1111's "Mask blur", the pixels over which the mask's edge is feathered
    /// inward when the result is blended into the original.</summary>
    public int MaskBlur { get; set; }
}
