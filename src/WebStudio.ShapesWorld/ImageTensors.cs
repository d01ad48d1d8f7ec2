using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld;

/// <summary>Converts images to and from planar CHW floats in [-1, 1], the diffusion model's pixel range.</summary>
public static class ImageTensors
{
    public static float[] ToChwMinus1To1(Image<Rgb24> image)
    {
        int w = image.Width, h = image.Height, plane = w * h;
        var pixels = new Rgb24[plane];
        image.CopyPixelDataTo(pixels);
        var chw = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            chw[i] = pixels[i].R / 127.5f - 1f;
            chw[plane + i] = pixels[i].G / 127.5f - 1f;
            chw[2 * plane + i] = pixels[i].B / 127.5f - 1f;
        }
        return chw;
    }

    /// <summary>Inverse of <see cref="ToChwMinus1To1"/>; values outside [-1, 1] are clamped.</summary>
    public static Image<Rgb24> FromChwMinus1To1(ReadOnlySpan<float> chw, int width, int height)
    {
        var plane = width * height;
        if (chw.Length != 3 * plane)
            throw new ArgumentException($"chw: expected 3×{height}×{width} = {3 * plane} values, got {chw.Length}.", nameof(chw));
        var pixels = new Rgb24[plane];
        for (var i = 0; i < plane; i++)
            pixels[i] = new Rgb24(ToByte(chw[i]), ToByte(chw[plane + i]), ToByte(chw[2 * plane + i]));
        return Image.LoadPixelData<Rgb24>(pixels, width, height);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0f, 255f);
}
