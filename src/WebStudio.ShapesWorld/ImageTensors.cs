using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld;

/// <summary>Converts images to and from planar CHW floats in [-1, 1], the diffusion model's pixel range.</summary>
public static class ImageTensors
{
    public static float[] ToChwMinus1To1(Image<Rgb24> image)
    {
        var chw = new float[3 * image.Width * image.Height];
        WriteChwMinus1To1(image, chw);
        return chw;
    }

    /// <summary>Writes the image into <paramref name="destination"/> (3×H×W floats), e.g. one slot of a batch buffer.</summary>
    public static void WriteChwMinus1To1(Image<Rgb24> image, Span<float> destination)
    {
        int plane = image.Width * image.Height;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"destination: expected 3×{image.Height}×{image.Width} = {3 * plane} floats, got {destination.Length}.", nameof(destination));
        var pixels = new Rgb24[plane];
        image.CopyPixelDataTo(pixels);
        for (var i = 0; i < plane; i++)
        {
            destination[i] = pixels[i].R / 127.5f - 1f;
            destination[plane + i] = pixels[i].G / 127.5f - 1f;
            destination[2 * plane + i] = pixels[i].B / 127.5f - 1f;
        }
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
