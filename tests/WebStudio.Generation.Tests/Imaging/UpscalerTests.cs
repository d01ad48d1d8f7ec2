using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Imaging;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class UpscalerTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Lanczos_multiplies_the_size(int factor)
    {
        using var image = TestImages.Photo(24, 16, seed: 14);
        using var result = Upscaler.Lanczos(image, factor);
        Assert.Equal(new Size(24 * factor, 16 * factor), result.Size());
        Assert.Equal(new Size(24, 16), image.Size());
    }

    [Fact]
    public void Lanczos_keeps_a_flat_image_flat()
    {
        var colour = new Rgb24(30, 140, 220);
        using var image = new Image<Rgb24>(10, 6, colour);
        using var result = Upscaler.Lanczos(image, 4);
        using var flat = new Image<Rgb24>(40, 24, colour);
        Assert.Equal(0, TestImages.MaxDifference(result, flat));
    }

    [Fact]
    public void Lanczos_refuses_other_factors_and_huge_results()
    {
        using var image = TestImages.Photo(8, 8, seed: 15);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => Upscaler.Lanczos(image, 3)).ParamName);
        using var wide = new Image<Rgb24>(2100, 8);
        Assert.Contains("8400×32", Assert.Throws<ArgumentException>(() => Upscaler.Lanczos(wide, 4)).Message);
    }

    [Fact]
    public void Tile_starts_cover_the_axis_with_the_overlap()
    {
        var starts = TileLayout.Starts(100, 32, 8);
        Assert.Equal(0, starts[0]);
        Assert.Equal(100 - 32, starts[^1]);
        for (var i = 1; i < starts.Count; i++)
        {
            Assert.InRange(starts[i - 1] + 32 - starts[i], 8, 31);
        }

        Assert.Equal([0], TileLayout.Starts(20, 32, 8));
    }

    [Fact]
    public void Tile_weights_ramp_only_towards_neighbours()
    {
        var weights = TileLayout.Weights(64, 16, rampStart: true, rampEnd: false);
        Assert.True(weights[0] < 0.1f);
        Assert.True(weights[8] > weights[4]);
        Assert.Equal(1f, weights[16]);
        Assert.Equal(1f, weights[63]);
        Assert.All(TileLayout.Weights(64, 16, false, false), w => Assert.Equal(1f, w));
    }
}
