using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Generation.Tests.Imaging;

/// <summary>Images and image files built in code for the imaging tests.</summary>
internal static class TestImages
{
    /// <summary>Seeded noise: every pixel differs, so misplaced or altered pixels show.</summary>
    public static Image<Rgb24> Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var p in rows.GetRowSpan(y))
                {
                    p = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        return image;
    }

    /// <summary>Smooth gradients plus mild noise: closer to a photo than pure noise.</summary>
    public static Image<Rgb24> Photo(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24(
                        (byte)Math.Clamp(255 * x / width + random.Next(-20, 21), 0, 255),
                        (byte)Math.Clamp(255 * y / height + random.Next(-20, 21), 0, 255),
                        (byte)Math.Clamp(128 + 100 * Math.Sin((x + y) / 5.0) + random.Next(-20, 21), 0, 255));
                }
            }
        });
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>Largest per-channel difference between two images of the same size.</summary>
    public static int MaxDifference(Image<Rgb24> a, Image<Rgb24> b, Func<int, int, bool>? include = null)
    {
        Assert.Equal(a.Size(), b.Size());
        var max = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                if (include is not null && !include(x, y))
                {
                    continue;
                }

                var (p, q) = (a[x, y], b[x, y]);
                max = Math.Max(max, Math.Max(Math.Abs(p.R - q.R), Math.Max(Math.Abs(p.G - q.G), Math.Abs(p.B - q.B))));
            }
        }

        return max;
    }

    public static double MeanDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        Assert.Equal(a.Size(), b.Size());
        double total = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                total += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
            }
        }

        return total / (3.0 * a.Width * a.Height);
    }
}
