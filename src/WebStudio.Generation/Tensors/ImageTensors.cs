using SixLabors.ImageSharp;
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

        var plane = pixels.Height * pixels.Width;
        var offset = index * pixels.SampleLength;
        var data = pixels.Data;
        var image = new Image<Rgb24>(pixels.Width, pixels.Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = offset + y * pixels.Width + x;
                    row[x] = new Rgb24(ToByte(data[i]), ToByte(data[i + plane]), ToByte(data[i + 2 * plane]));
                }
            }
        });
        return image;
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
}
