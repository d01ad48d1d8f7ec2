using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>Tiled VAE decoding and encoding (Generation:VaeTileSize), as diffusers' AutoencoderKL.tiled_decode and
/// _tiled_encode do them: what they blend, that a local decoder or encoder gives the whole run back, a real VAE through
/// them, and the memory they are counted at.</summary>
[Trait("Capability", "UserModels")]
[Collection(Pipelines.TinyModelCollection.Name)]
public sealed class VaeTilingTests(TinyModelFolders models)
{
    [Fact]
    public void Tiles_fade_into_the_tile_on_their_left_over_a_quarter_of_a_tile_as_diffusers_blends_them()
    {
        // 8-latent tiles every 6 latents (pixels = latents here), 2 pixels of blend; each tile decodes to its number.
        var tiling = new VaeTiling(tileSize: 8, scaleFactor: 1);
        var pixels = tiling.Decode(new Latents(new float[14], 1, 1, 1, 14), NumberedTiles());

        // Worked out with diffusers' tiled_decode, blend_h and crop to tile − blend.
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2, 2, 2, 2, 2.5f], pixels.Data);
    }

    [Fact]
    public void A_tile_blends_with_the_tile_above_first_then_with_the_blended_tile_on_its_left()
    {
        var tiling = new VaeTiling(tileSize: 8, scaleFactor: 1);
        var pixels = tiling.Decode(new Latents(new float[100], 1, 1, 10, 10), NumberedTiles());

        // diffusers' order, each blend written into the tile in place: 1.25 at (6, 7) is the tile below-right's top row
        // (already blended with the tile above it to 1.5) fading from the bottom-left tile's 1.
        float[][] expected =
        [
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2],
            [1, 1, 1, 1, 1, 1, 1, 1.25f, 2, 2],
            [2, 2, 2, 2, 2, 2, 2, 2.375f, 3, 3],
            [3, 3, 3, 3, 3, 3, 3, 3.5f, 4, 4],
            [3, 3, 3, 3, 3, 3, 3, 3.5f, 4, 4],
        ];
        Assert.Equal(expected.SelectMany(row => row), pixels.Data);
    }

    [Theory]
    [InlineData(20, 20)]
    [InlineData(17, 29)]
    [InlineData(8, 40)]
    public void A_decoder_that_looks_at_one_latent_at_a_time_decodes_in_tiles_what_it_decodes_whole(int height, int width)
    {
        var random = new Random(height * width);
        var latents = new Latents([.. Enumerable.Range(0, 2 * 4 * height * width).Select(_ => (float)random.NextDouble())], 2, 4, height, width);
        var tiling = new VaeTiling(tileSize: 64, scaleFactor: 8);

        var tiled = tiling.Decode(latents, PointwiseDecoder);
        var whole = PointwiseDecoder(latents);

        Assert.True(tiling.Applies(height, width));
        Assert.Equal((2, 3, height * 8, width * 8), (tiled.Batch, tiled.Channels, tiled.Height, tiled.Width));
        Assert.All(tiled.Data.Zip(whole.Data), p => Assert.Equal(p.Second, p.First, 5));
    }

    [Fact]
    public void A_model_loaded_with_a_tile_size_decodes_larger_images_in_tiles_close_to_the_whole_decode()
    {
        var folder = models.Write(TinyModelVariant.DiffusersScript);
        using var whole = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false });
        using var tiled = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, VaeTileSize = 64 });
        var latents = Noise(seed: 7, 1, 4, 24, 24);

        var a = new StableDiffusionPipeline(whole).DecodeLatents(latents);
        var b = new StableDiffusionPipeline(tiled).DecodeLatents(latents);

        Assert.Equal(64, tiled.VaeDecoder.Tiling!.TileSize);
        Assert.Equal((a.Channels, a.Height, a.Width), (b.Channels, b.Height, b.Width));
        // Each tile normalises over its own part of the picture: close to the whole decode, not equal to it.
        var meanDifference = a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Average();
        Assert.InRange(meanDifference, 1e-6, 0.1);
        Assert.All(b.Data, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Encoded_tiles_start_on_a_latent_and_fade_into_the_tile_on_their_left_over_a_quarter_of_a_tile()
    {
        // 16-pixel tiles (8 latents at 2 pixels a latent) every 12 pixels, 2 latents of blend; tile k encodes to k.
        var tiling = new VaeTiling(tileSize: 16, scaleFactor: 2);
        var latents = tiling.Encode(new Latents(new float[3 * 2 * 28], 1, 3, 2, 28), NumberedTiles(scaleFactor: 2));

        // Worked out with diffusers' _tiled_encode: tiles at pixels 0, 12 and 24, blend_h over 2 latents, crop to 6.
        Assert.Equal((1, 1, 14), (latents.Channels, latents.Height, latents.Width));
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1.5f, 2, 2, 2, 2, 2, 2.5f], latents.Data);
    }

    [Theory]
    [InlineData(160, 160)]
    [InlineData(136, 232)]
    [InlineData(64, 320)]
    public void An_encoder_that_looks_at_one_latents_pixels_at_a_time_encodes_in_tiles_what_it_encodes_whole(int height, int width)
    {
        var pixels = Noise(seed: height * width, 2, 3, height, width);
        var tiling = new VaeTiling(tileSize: 64, scaleFactor: 8);

        var tiled = tiling.Encode(pixels, BlockEncoder);
        var whole = BlockEncoder(pixels);

        Assert.True(tiling.AppliesToImage(height, width));
        Assert.Equal((2, 8, height / 8, width / 8), (tiled.Batch, tiled.Channels, tiled.Height, tiled.Width));
        Assert.All(tiled.Data.Zip(whole.Data), p => Assert.Equal(p.Second, p.First, 5));
    }

    [Theory]
    [InlineData(TinyExporter.DiffusersScript)]
    [InlineData(TinyExporter.Optimum)]
    public void A_model_loaded_with_a_tile_size_encodes_larger_images_in_tiles_close_to_the_whole_encode(TinyExporter exporter)
    {
        var folder = models.Write(new TinyModelVariant { Exporter = exporter });
        using var whole = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false });
        using var tiled = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, VaeTileSize = 64 });
        var pixels = Noise(seed: 11, 1, 3, 192, 160);

        // The mode (no noise): an optimum export's moments are blended tile by tile and the mean read from them.
        var a = whole.VaeEncoder!.Encode(pixels, null, null);
        var b = tiled.VaeEncoder!.Encode(pixels, null, null);

        Assert.Same(tiled.VaeDecoder.Tiling, tiled.VaeEncoder.Tiling);
        Assert.Equal((a.Channels, a.Height, a.Width), (b.Channels, b.Height, b.Width));
        Assert.Equal((24, 20), (b.Height, b.Width));
        var meanDifference = a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Average();
        var meanSize = a.Data.Average(Math.Abs);
        Assert.InRange(meanDifference, 1e-7, 0.25 * meanSize);
    }

    [Fact]
    public void Decoding_in_tiles_counts_a_tiles_decoder_memory_for_each_tile_shape_plus_the_whole_images_pixels()
    {
        var shapes = ModelShapes.Read(models.Write(TinyModelVariant.SdxlBase)).OnCpu();
        var whole = MemoryEstimate.Of(shapes, 1024, 1024, 1, 5f);
        var tiled = MemoryEstimate.Of(shapes.As(onCpu: false, vaeTileSize: 512), 1024, 1024, 1, 5f);
        var tile = MemoryEstimate.Of(shapes, 512, 512, 1, 5f);

        // A 512² decode's working tensors and mid-block attention for each tile shape (whole tiles and the edges'), one
        // tile's output, and the whole image's float32 pixels.
        const long tileOutput = 3L * 512 * 512 * sizeof(float);
        Assert.Equal(MemoryEstimate.VaeTileShapes * (tile.VaeDecode - tileOutput) + tileOutput + (3L * 1024 * 1024 * sizeof(float)), tiled.VaeDecode);
        // Two shapes of a quarter of the pixels each (this VAE has no attention to save more on).
        Assert.True(tiled.VaeDecode < whole.VaeDecode * 3 / 5, $"tiled {tiled.VaeDecode:N0} against whole {whole.VaeDecode:N0}");
        Assert.Equal(whole.UNetActivations, tiled.UNetActivations);
        // An image no larger than a tile is decoded whole, and counted so.
        Assert.Equal(tile.VaeDecode, MemoryEstimate.Of(shapes.As(onCpu: false, vaeTileSize: 512), 512, 512, 1, 5f).VaeDecode);
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(12, 8)]
    [InlineData(8, 8)]
    public void A_tile_that_is_not_a_whole_number_of_latents_or_under_two_of_them_is_refused(int tileSize, int scaleFactor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VaeTiling(tileSize, scaleFactor));

    // Tile k (in run order, from 1) becomes k everywhere, at scaleFactor pixels a latent when it encodes.
    private static Func<Latents, Latents> NumberedTiles(int scaleFactor = 1)
    {
        var count = 0;
        return tile =>
        {
            count++;
            int height = tile.Height / scaleFactor, width = tile.Width / scaleFactor;
            return new Latents([.. Enumerable.Repeat((float)count, tile.Batch * height * width)], tile.Batch, 1, height, width);
        };
    }

    // Seeded values in [-1, 1): latents, or pixels as the encoder takes them.
    private static Latents Noise(int seed, int batch, int channels, int height, int width)
    {
        var random = new Random(seed);
        return new Latents([.. Enumerable.Range(0, batch * channels * height * width).Select(_ => (float)((random.NextDouble() * 2) - 1))],
            batch, channels, height, width);
    }

    // Each latent reads only its own 8×8 pixels: their mean per channel and a fixed mix, eight channels like optimum's moments.
    private static Latents BlockEncoder(Latents pixels)
    {
        int h = pixels.Height / 8, w = pixels.Width / 8, plane = pixels.Height * pixels.Width;
        var latents = new float[pixels.Batch * 8 * h * w];
        for (var b = 0; b < pixels.Batch; b++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var means = new float[3];
                    for (var c = 0; c < 3; c++)
                    {
                        for (var dy = 0; dy < 8; dy++)
                        {
                            for (var dx = 0; dx < 8; dx++)
                            {
                                means[c] += pixels.Data[(((b * 3) + c) * plane) + (((y * 8) + dy) * pixels.Width) + (x * 8) + dx] / 64f;
                            }
                        }
                    }

                    for (var c = 0; c < 8; c++)
                    {
                        latents[(((b * 8) + c) * h * w) + (y * w) + x] = means[c % 3] - (0.25f * c * means[(c + 1) % 3]);
                    }
                }
            }
        }

        return new Latents(latents, pixels.Batch, 8, h, w);
    }

    // ×8 nearest upsampling of a fixed mix of the four latent channels into three: each pixel depends on one latent.
    private static Latents PointwiseDecoder(Latents latents)
    {
        int h = latents.Height * 8, w = latents.Width * 8, plane = latents.Height * latents.Width;
        var pixels = new float[latents.Batch * 3 * h * w];
        for (var b = 0; b < latents.Batch; b++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        var at = (b * 4 * plane) + ((y / 8) * latents.Width) + (x / 8);
                        pixels[(((b * 3) + c) * h * w) + (y * w) + x] = latents.Data[at + (c * plane)] - (0.5f * latents.Data[at + (3 * plane)]);
                    }
                }
            }
        }

        return new Latents(pixels, latents.Batch, 3, h, w);
    }
}
