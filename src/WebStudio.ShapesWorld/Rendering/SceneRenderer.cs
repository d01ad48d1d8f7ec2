using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld.Rendering;

/// <summary>
/// Draws a <see cref="SceneLayout"/> with 4×4 supersampled coverage and integer blending, so the
/// same layout gives the same bytes everywhere.
/// </summary>
public static class SceneRenderer
{
    private const int Samples = 4;
    private const int SampleCount = Samples * Samples;

    /// <summary>Renders to interleaved RGB24 bytes (row-major, <paramref name="size"/>²×3).</summary>
    public static byte[] RenderRgb(SceneLayout layout, int size = SceneSpec.ImageSize)
    {
        var rgb = new byte[size * size * 3];
        var bg = layout.Background;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            rgb[i] = bg.R; rgb[i + 1] = bg.G; rgb[i + 2] = bg.B;
        }
        foreach (var obj in layout.Objects) Draw(rgb, size, obj);
        return rgb;
    }

    public static Image<Rgb24> Render(SceneLayout layout, int size = SceneSpec.ImageSize) =>
        Image.LoadPixelData<Rgb24>(RenderRgb(layout, size), size, size);

    private static void Draw(byte[] rgb, int size, PlacedObject obj)
    {
        var box = obj.Box;
        int x0 = Math.Max(0, (int)Math.Floor(box.X)), y0 = Math.Max(0, (int)Math.Floor(box.Y));
        int x1 = Math.Min(size - 1, (int)Math.Ceiling(box.Right)), y1 = Math.Min(size - 1, (int)Math.Ceiling(box.Bottom));
        var c = obj.Colour;
        for (var py = y0; py <= y1; py++)
        for (var px = x0; px <= x1; px++)
        {
            var covered = 0;
            for (var sy = 0; sy < Samples; sy++)
            {
                var y = py + (sy + 0.5) / Samples;
                for (var sx = 0; sx < Samples; sx++)
                    if (ShapeGeometry.Contains(obj.Shape, box, obj.Glyph, px + (sx + 0.5) / Samples, y)) covered++;
            }
            if (covered == 0) continue;
            var i = (py * size + px) * 3;
            rgb[i] = Blend(rgb[i], c.R, covered);
            rgb[i + 1] = Blend(rgb[i + 1], c.G, covered);
            rgb[i + 2] = Blend(rgb[i + 2], c.B, covered);
        }
    }

    private static byte Blend(byte under, byte over, int covered) =>
        (byte)((under * (SampleCount - covered) + over * covered + SampleCount / 2) / SampleCount);
}
