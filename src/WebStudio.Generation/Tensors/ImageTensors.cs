using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Tensors;

/// <summary>Converts between RGB images and NCHW tensors in [-1, 1], the range SD's VAE works in.</summary>
public static class ImageTensors
{
    /// <summary>Sample <paramref name="index"/> of a [B,3,H,W] tensor in [-1,1] as an image (rounded as diffusers does).</summary>
    public static Image<Rgb24> ToImage(Latents pixels, int index = 0)
    {
        if (pixels.Channels != 3)
        {
            throw new ArgumentException($"An image tensor needs 3 channels, this one has {pixels.Channels}.", nameof(pixels));
        }

        return ToImage(pixels.Data.AsSpan(index * pixels.SampleLength, pixels.SampleLength), pixels.Height, pixels.Width);
    }

    /// <summary>Planar R, G, B values in [-1,1] ([3,H,W]) as an image, rounded as <see cref="ToByte"/> does.</summary>
    // Runs once per image, too rarely for tiered compilation to reach optimised code soon: compiled optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Image<Rgb24> ToImage(ReadOnlySpan<float> planes, int height, int width)
    {
        RequirePlanes(planes, height, width);
        var image = new Image<Rgb24>(width, height);
        Span<byte> scratch = width <= 4096 ? stackalloc byte[3 * width] : new byte[3 * width];
        for (var y = 0; y < height; y++)
        {
            WriteRow(planes, height, width, y, MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span), scratch);
        }

        return image;
    }

    /// <summary>The same bytes as <see cref="ToImage(ReadOnlySpan{float}, int, int)"/>, written interleaved (R, G, B per
    /// pixel, row by row) into <paramref name="destination"/>, with no image in between.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToInterleavedRgb(ReadOnlySpan<float> planes, int height, int width, Span<byte> destination)
    {
        RequirePlanes(planes, height, width);
        if (destination.Length < planes.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; a {width}x{height} image needs {planes.Length}.", nameof(destination));
        }

        Span<byte> scratch = width <= 4096 ? stackalloc byte[3 * width] : new byte[3 * width];
        for (var y = 0; y < height; y++)
        {
            WriteRow(planes, height, width, y, destination.Slice(3 * y * width, 3 * width), scratch);
        }
    }

    private static void RequirePlanes(ReadOnlySpan<float> planes, int height, int width)
    {
        if (height <= 0 || width <= 0 || planes.Length != 3L * height * width)
        {
            throw new ArgumentException($"{planes.Length} values are not the 3 planes of a {width}x{height} image.", nameof(planes));
        }
    }

    // One row through three byte planes (converted eight floats at a time), then interleaved.
    private static void WriteRow(ReadOnlySpan<float> planes, int height, int width, int y, Span<byte> row, Span<byte> scratch)
    {
        var plane = height * width;
        var red = scratch[..width];
        var green = scratch.Slice(width, width);
        var blue = scratch.Slice(2 * width, width);
        var at = y * width;
        ToBytes(planes.Slice(at, width), red);
        ToBytes(planes.Slice(at + plane, width), green);
        ToBytes(planes.Slice(at + 2 * plane, width), blue);
        for (var x = 0; x < width; x++)
        {
            row[3 * x] = red[x];
            row[3 * x + 1] = green[x];
            row[3 * x + 2] = blue[x];
        }
    }

    /// <summary>An image as a [1,3,H,W] tensor in [-1,1].</summary>
    public static Latents FromImage(Image<Rgb24> image) =>
        new(ToPlanes(image, 1f / 127.5f, -1f), 1, 3, image.Height, image.Width);

    /// <summary>An image as planar R, G, B floats, each byte mapped to <c>byte · scale + offset</c>.</summary>
    public static float[] ToPlanes(Image<Rgb24> image, float scale, float offset)
    {
        var plane = image.Width * image.Height;
        var data = new float[3 * plane];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = y * rows.Width + x;
                    data[i] = row[x].R * scale + offset;
                    data[i + plane] = row[x].G * scale + offset;
                    data[i + 2 * plane] = row[x].B * scale + offset;
                }
            }
        });
        return data;
    }

    /// <summary>A [-1,1] pixel value as a byte, rounded as diffusers does.</summary>
    public static byte ToByte(float value) => (byte)MathF.Round(Math.Clamp(value * 0.5f + 0.5f, 0f, 1f) * 255f);

    /// <summary><see cref="ToByte"/> over a span: the same float operations in the same order, eight lanes at a time,
    /// so every byte is the one <see cref="ToByte"/> gives (NaN included, which becomes 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToBytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            var full = Vector256.Create(255f);
            for (; i + 32 <= source.Length; i += 32)
            {
                var a = Vector256.Narrow(Lanes(source, i, half, full), Lanes(source, i + 8, half, full));
                var b = Vector256.Narrow(Lanes(source, i + 16, half, full), Lanes(source, i + 24, half, full));
                Vector256.Narrow(a.AsUInt16(), b.AsUInt16()).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = ToByte(source[i]);
        }
    }

    private static Vector256<int> Lanes(ReadOnlySpan<float> source, int at, Vector256<float> half, Vector256<float> full)
    {
        var value = Vector256.Create(source.Slice(at, 8)) * half + half;
        // Min and Max carry a NaN through, as Math.Clamp does, and the conversion then gives 0 as the cast does.
        var clamped = Vector256.Min(Vector256.Max(value, Vector256<float>.Zero), Vector256<float>.One);
        return Vector256.ConvertToInt32(Vector256.Round(clamped * full));
    }
}
