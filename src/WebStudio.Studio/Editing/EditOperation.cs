namespace WebStudio.Studio.Editing;

/// <summary>What the Edit page and POST /api/edits ask of a source image; each maps to one <see cref="Jobs.JobSpec"/> kind.</summary>
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

    /// <summary>An instruction edit on an instruction model: the prompt says what to change; the mask is optional.</summary>
    Instruct,
}
