using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Imaging;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class OutpaintingTests
{
    [Fact]
    public void Extends_the_canvas_and_masks_only_the_new_area()
    {
        using var image = TestImages.Noise(40, 24, seed: 5);

        using var canvas = Outpainting.Extend(image, left: 8, top: 16, right: 24, bottom: 0);

        Assert.Equal(new Size(72, 40), canvas.Image.Size());
        Assert.Equal(new Size(72, 40), canvas.Mask.Size());
        Assert.Equal(new Point(8, 16), canvas.OriginalOffset);
        var original = new Rectangle(8, 16, 40, 24);
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < 72; x++)
            {
                var inside = original.Contains(x, y);
                Assert.Equal(inside ? 0 : 255, canvas.Mask[x, y].PackedValue);
                if (inside)
                {
                    Assert.Equal(image[x - 8, y - 16], canvas.Image[x, y]);
                }
            }
        }
    }

    [Fact]
    public void Deconstructs_into_image_and_mask()
    {
        using var image = TestImages.Noise(16, 16, seed: 6);
        using var canvas = Outpainting.Extend(image, 0, 0, 8, 0);
        var (extended, mask) = canvas;
        Assert.Same(canvas.Image, extended);
        Assert.Same(canvas.Mask, mask);
    }

    [Fact]
    public void Fills_the_new_area_with_colours_of_the_image()
    {
        var colour = new Rgb24(100, 150, 200);
        using var image = new Image<Rgb24>(32, 32, colour);

        using var canvas = Outpainting.Extend(image, 64, 8, 8, 64);

        // A flat image's edges and mean are one colour, so only the small noise may differ.
        using var flat = new Image<Rgb24>(canvas.Image.Width, canvas.Image.Height, colour);
        Assert.InRange(TestImages.MaxDifference(canvas.Image, flat), 1, 6);
    }

    [Fact]
    public void Overlap_masks_a_band_of_the_original_on_extended_sides_only()
    {
        using var image = TestImages.Noise(32, 32, seed: 7);

        using var canvas = Outpainting.Extend(image, left: 16, top: 0, right: 0, bottom: 0, overlap: 4);

        Assert.Equal(255, canvas.Mask[16 + 3, 10].PackedValue);
        Assert.Equal(0, canvas.Mask[16 + 4, 10].PackedValue);
        Assert.Equal(0, canvas.Mask[16 + 31, 0].PackedValue);
        Assert.Equal(0, canvas.Mask[16 + 31, 31].PackedValue);
        // Pixels stay the original's even under the overlap: the pipeline blends them, not the canvas.
        Assert.Equal(image[2, 10], canvas.Image[18, 10]);
    }

    [Theory]
    [InlineData(10, 0, 0, 0, "left")]
    [InlineData(0, -8, 0, 0, "top")]
    [InlineData(0, 0, 1032, 0, "right")]
    [InlineData(0, 0, 0, 4, "bottom")]
    public void Refuses_amounts_that_are_not_multiples_of_eight_up_to_1024(int left, int top, int right, int bottom, string side)
    {
        using var image = TestImages.Noise(16, 16, seed: 8);
        var error = Assert.Throws<ArgumentException>(() => Outpainting.Extend(image, left, top, right, bottom));
        Assert.Equal(side, error.ParamName);
        Assert.Contains(side, error.Message);
        Assert.Contains("multiple of 8", error.Message);
    }

    [Fact]
    public void Refuses_canvases_over_2048_and_empty_extensions()
    {
        using var image = TestImages.Noise(1500, 16, seed: 9);
        var tooWide = Assert.Throws<ArgumentException>(() => Outpainting.Extend(image, 512, 0, 512, 0));
        Assert.Contains("2524×16", tooWide.Message);
        Assert.Throws<ArgumentException>(() => Outpainting.Extend(image, 0, 0, 0, 0));
    }
}
