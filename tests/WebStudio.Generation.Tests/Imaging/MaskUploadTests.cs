using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Imaging;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class MaskUploadTests
{
    private static readonly Rectangle Square = new(8, 4, 16, 12);

    [Fact]
    public void Reads_a_white_on_black_greyscale_mask()
    {
        using var drawn = new Image<L8>(40, 24, new L8(0));
        Paint(drawn, Square, new L8(255));
        drawn[0, 0] = new L8(100);

        using var mask = MaskUpload.Read(TestImages.Encode(drawn, new PngEncoder()), 40, 24);

        AssertSquareMask(mask, except: (0, 0));
        Assert.Equal(100, mask[0, 0].PackedValue);
    }

    [Fact]
    public void Reads_white_strokes_on_a_transparent_canvas()
    {
        // The browser editor's export: transparent where nothing was painted.
        using var drawn = new Image<Rgba32>(40, 24, new Rgba32(255, 255, 255, 0));
        Paint(drawn, Square, new Rgba32(255, 255, 255, 255));

        using var mask = MaskUpload.Read(TestImages.Encode(drawn, new PngEncoder()), 40, 24);

        AssertSquareMask(mask);
    }

    [Fact]
    public void Reads_OpenAI_masks_where_transparent_means_edit()
    {
        // An opaque copy of the image with the area to edit erased to alpha 0.
        using var drawn = new Image<Rgba32>(40, 24, new Rgba32(90, 160, 30, 255));
        Paint(drawn, Square, new Rgba32(0, 0, 0, 0));

        using var mask = MaskUpload.Read(TestImages.Encode(drawn, new PngEncoder()), 40, 24, MaskConvention.TransparentIsEdit);

        AssertSquareMask(mask);
    }

    [Fact]
    public void Refuses_a_mask_of_the_wrong_size_naming_both_sizes()
    {
        using var drawn = new Image<L8>(40, 20, new L8(255));

        var error = Assert.Throws<ImageUploadException>(() => MaskUpload.Read(TestImages.Encode(drawn, new PngEncoder()), 40, 24));

        Assert.Equal(ImageUploadException.MaskSizeMismatch, error.Code);
        Assert.Contains("40×20", error.Message);
        Assert.Contains("40×24", error.Message);
    }

    [Fact]
    public void Checks_masks_like_images()
    {
        var error = Assert.Throws<ImageUploadException>(() => MaskUpload.Read(new MemoryStream("GIF89a"u8.ToArray()), 40, 24));
        Assert.Equal(ImageUploadException.UnsupportedFormat, error.Code);
        Assert.Contains("mask", error.Message);
    }

    private static void Paint<TPixel>(Image<TPixel> image, Rectangle area, TPixel colour)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                image[x, y] = colour;
            }
        }
    }

    private static void AssertSquareMask(Image<L8> mask, (int X, int Y)? except = null)
    {
        Assert.Equal(new Size(40, 24), mask.Size());
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                if (except == (x, y))
                {
                    continue;
                }

                var expected = Square.Contains(x, y) ? 255 : 0;
                Assert.True(expected == mask[x, y].PackedValue, $"mask at ({x},{y}) is {mask[x, y].PackedValue}, expected {expected}");
            }
        }
    }
}
