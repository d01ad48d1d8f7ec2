using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>Small upload files made in code.</summary>
public static class TestImages
{
    /// <summary>A PNG of horizontal colour bands (distinct rows, so kept pixels can be compared exactly).</summary>
    public static byte[] Bands(int width = 64, int height = 64)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(y * 4), (byte)(255 - y * 4), (byte)(x * 4));
                }
            }
        });
        return Png(image);
    }

    /// <summary>An OpenAI-style mask: the right half transparent (to be repainted), the left half opaque (kept).</summary>
    public static byte[] RightHalfMask(int width = 64, int height = 64)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32(0, 0, 0, x >= width / 2 ? (byte)0 : (byte)255);
                }
            }
        });
        return Png(image);
    }

    private static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
