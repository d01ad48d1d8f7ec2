using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// Decoding latents and encoding images in overlapping tiles, as diffusers' <c>AutoencoderKL.tiled_decode</c> and
/// <c>_tiled_encode</c> do (ComfyUI's "VAE Decode (Tiled)" and "VAE Encode (Tiled)", SwarmUI's and InvokeAI's VAE
/// tiling): the VAE's memory follows the tile instead of the image, which is what lets a large image be decoded or
/// encoded at all where its full-size activations do not fit (SDXL at 1024² on a 24 GB CPU machine). Decoding, tiles
/// of <see cref="TileLatents"/> latents start every <see cref="Stride"/> latents; each decoded tile is blended linearly
/// into the one above and the one on its left over <see cref="BlendPixels"/>, then cropped. Encoding mirrors it:
/// tiles of <see cref="TileSize"/> pixels, blended over <see cref="BlendLatents"/>. Each tile runs on its own, with
/// its own GroupNorm statistics and attention, so the result differs slightly from a whole-image run; the blend hides
/// the seams.
/// </summary>
public sealed record VaeTiling
{
    public const double DefaultOverlap = 0.25;

    /// <param name="tileSize">The tile's side in pixels (a multiple of <paramref name="scaleFactor"/>).</param>
    /// <param name="scaleFactor">The VAE's pixels per latent (8).</param>
    public VaeTiling(int tileSize, int scaleFactor, double overlap = DefaultOverlap)
    {
        if (scaleFactor < 1 || tileSize < 2 * scaleFactor || tileSize % scaleFactor != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize,
                $"a VAE tile is a multiple of the VAE's {scaleFactor} pixels per latent, at least {2 * scaleFactor} pixels");
        }

        if (overlap is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "the overlap is a fraction of the tile, at least 0 and under 1");
        }

        ScaleFactor = scaleFactor;
        TileLatents = tileSize / scaleFactor;
        Overlap = overlap;
    }

    /// <summary>The tiling a VAE runs with for the setting <paramref name="tileSize"/> (Generation:VaeTileSize): null,
    /// whole images, for 0.</summary>
    public static VaeTiling? OfSize(int tileSize, int scaleFactor) => tileSize > 0 ? new VaeTiling(tileSize, scaleFactor) : null;

    public int ScaleFactor { get; }

    public int TileLatents { get; }

    public double Overlap { get; }

    public int TileSize => TileLatents * ScaleFactor;

    /// <summary>Latents between tile starts (diffusers' <c>overlap_size</c>).</summary>
    public int Stride => Math.Max(1, (int)(TileLatents * (1 - Overlap)));

    /// <summary>Pixels over which a tile fades into its neighbour (diffusers' <c>blend_extent</c>).</summary>
    public int BlendPixels => (int)(TileSize * Overlap);

    /// <summary>Latents over which an encoded tile fades into its neighbour (diffusers' encode <c>blend_extent</c>).</summary>
    public int BlendLatents => (int)(TileLatents * Overlap);

    /// <summary>Whether latents of this size are decoded in tiles: only when one side is larger than a tile.</summary>
    public bool Applies(int latentHeight, int latentWidth) => latentHeight > TileLatents || latentWidth > TileLatents;

    /// <summary>Whether an image of this size is encoded in tiles: only when one side is larger than a tile.</summary>
    public bool AppliesToImage(int height, int width) => height > TileSize || width > TileSize;

    /// <summary>
    /// Decodes <paramref name="latents"/> [B,C,h,w] tile by tile through <paramref name="decodeTile"/> (latents of one
    /// tile → pixels [B,3,·,·]) and returns the blended pixels [B,3,h·f,w·f].
    /// </summary>
    public Latents Decode(Latents latents, Func<Latents, Latents> decodeTile) =>
        Run(latents, decodeTile, new Geometry(TileLatents, Stride, BlendPixels, TileSize - BlendPixels, n => n * ScaleFactor));

    /// <summary>
    /// Encodes <paramref name="pixels"/> [B,3,H,W] tile by tile through <paramref name="encodeTile"/> (pixels of one
    /// tile → the encoder's raw output [B,C,·,·]: a sample, or the posterior's mean and log-variance, blended as
    /// diffusers' <c>_tiled_encode</c> blends its moments before sampling) and returns it blended, [B,C,H/f,W/f].
    /// Tiles start every <see cref="Stride"/> latents, so that every tile begins on a latent (diffusers' pixel stride,
    /// the same for tiles whose three quarters are a whole number of latents, such as 512).
    /// </summary>
    public Latents Encode(Latents pixels, Func<Latents, Latents> encodeTile) =>
        Run(pixels, encodeTile, new Geometry(TileSize, Stride * ScaleFactor, BlendLatents, TileLatents - BlendLatents, n => n / ScaleFactor));

    // One direction of the tiling: input tiles of InTile a side starting every InStride; each output tile blends over
    // Blend with the tile above and then the one on its left, and keeps its first Keep rows and columns. Out maps an
    // input length or position to the output's.
    private readonly record struct Geometry(int InTile, int InStride, int Blend, int Keep, Func<int, int> Out);

    private static Latents Run(Latents input, Func<Latents, Latents> runTile, Geometry geometry)
    {
        var starts = (Rows: Starts(input.Height, geometry.InStride), Columns: Starts(input.Width, geometry.InStride));
        var tiles = new Latents[starts.Rows.Count, starts.Columns.Count];
        int batch = input.Batch, channels = 0, height = geometry.Out(input.Height), width = geometry.Out(input.Width);
        float[]? output = null;
        for (var i = 0; i < starts.Rows.Count; i++)
        {
            for (var j = 0; j < starts.Columns.Count; j++)
            {
                var tile = runTile(Cut(input, starts.Rows[i], starts.Columns[j], geometry.InTile));
                if (i > 0)
                {
                    BlendVertical(tiles[i - 1, j], tile, geometry.Blend);
                }

                if (j > 0)
                {
                    BlendHorizontal(tiles[i, j - 1], tile, geometry.Blend);
                }

                tiles[i, j] = tile;
                channels = tile.Channels;
                output ??= new float[batch * channels * height * width];
                Place(tile, output, channels, height, width, geometry.Out(starts.Rows[i]), geometry.Out(starts.Columns[j]), geometry.Keep);
            }

            // The row above is needed only by this one.
            if (i > 0)
            {
                for (var j = 0; j < starts.Columns.Count; j++)
                {
                    tiles[i - 1, j] = null!;
                }
            }
        }

        return new Latents(output!, batch, channels, height, width);
    }

    private static List<int> Starts(int length, int stride)
    {
        var starts = new List<int>();
        for (var s = 0; s < length; s += stride)
        {
            starts.Add(s);
        }

        return starts;
    }

    private static Latents Cut(Latents latents, int top, int left, int side)
    {
        int rows = Math.Min(side, latents.Height - top), columns = Math.Min(side, latents.Width - left);
        var data = new float[latents.Batch * latents.Channels * rows * columns];
        for (var plane = 0; plane < latents.Batch * latents.Channels; plane++)
        {
            for (var y = 0; y < rows; y++)
            {
                Array.Copy(latents.Data, (((plane * latents.Height) + top + y) * latents.Width) + left, data, ((plane * rows) + y) * columns, columns);
            }
        }

        return new Latents(data, latents.Batch, latents.Channels, rows, columns);
    }

    // diffusers' blend_v: the top rows of b fade in from the bottom rows of a (the tile above, already blended itself).
    private static void BlendVertical(Latents a, Latents b, int blend)
    {
        var extent = Math.Min(Math.Min(a.Height, b.Height), blend);
        for (var plane = 0; plane < b.Batch * b.Channels; plane++)
        {
            for (var y = 0; y < extent; y++)
            {
                var weight = (float)y / extent;
                int rowA = ((plane * a.Height) + a.Height - extent + y) * a.Width, rowB = ((plane * b.Height) + y) * b.Width;
                for (var x = 0; x < b.Width; x++)
                {
                    b.Data[rowB + x] = (a.Data[rowA + x] * (1 - weight)) + (b.Data[rowB + x] * weight);
                }
            }
        }
    }

    // diffusers' blend_h: the left columns of b fade in from the right columns of a (the tile on the left).
    private static void BlendHorizontal(Latents a, Latents b, int blend)
    {
        var extent = Math.Min(Math.Min(a.Width, b.Width), blend);
        for (var plane = 0; plane < b.Batch * b.Channels; plane++)
        {
            for (var y = 0; y < b.Height; y++)
            {
                int rowA = ((plane * a.Height) + y) * a.Width, rowB = ((plane * b.Height) + y) * b.Width;
                for (var x = 0; x < extent; x++)
                {
                    var weight = (float)x / extent;
                    b.Data[rowB + x] = (a.Data[rowA + a.Width - extent + x] * (1 - weight)) + (b.Data[rowB + x] * weight);
                }
            }
        }
    }

    // The tile's top-left keep² values go in at its own place: the rest is the next tiles' to blend.
    private static void Place(Latents tile, float[] output, int channels, int height, int width, int top, int left, int keep)
    {
        int rows = Math.Min(Math.Min(tile.Height, keep), height - top), columns = Math.Min(Math.Min(tile.Width, keep), width - left);
        for (var plane = 0; plane < tile.Batch * channels; plane++)
        {
            for (var y = 0; y < rows; y++)
            {
                Array.Copy(tile.Data, ((plane * tile.Height) + y) * tile.Width, output, (((plane * height) + top + y) * width) + left, columns);
            }
        }
    }
}
