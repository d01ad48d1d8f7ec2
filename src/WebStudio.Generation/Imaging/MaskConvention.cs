namespace WebStudio.Generation.Imaging;

/// <summary>How a mask file marks the region to repaint.</summary>
public enum MaskConvention
{
    /// <summary>White (bright) pixels are repainted, black kept; transparent pixels count as black, so white
    /// strokes on a transparent canvas (the browser mask editor's export) work too.</summary>
    WhiteIsEdit,

    /// <summary>OpenAI's image-edit convention: fully transparent pixels (alpha 0) are repainted, opaque ones kept.</summary>
    TransparentIsEdit,
}
