namespace WebStudio.Generation.Imaging;

/// <summary>
/// Where tiles go along one axis, and how much each output pixel of a tile counts when overlapping tiles are
/// blended. Weights ramp linearly across the overlap, so neighbouring tiles cross-fade instead of meeting at a
/// hard seam, and a tile's border pixels (where its convolutions saw padding, not the image) count least.
/// </summary>
public static class TileLayout
{
    /// <summary>Tile starts covering [0, length): a stride of tile − overlap, the last tile flush with the end.</summary>
    public static IReadOnlyList<int> Starts(int length, int tile, int overlap)
    {
        if (length <= tile)
        {
            return [0];
        }

        var starts = new List<int>();
        var stride = tile - overlap;
        for (var start = 0; start + tile < length; start += stride)
        {
            starts.Add(start);
        }

        starts.Add(length - tile);
        return starts;
    }

    /// <summary>Weights of the <paramref name="outputLength"/> output pixels of a tile; ramps only on sides that
    /// have a neighbouring tile, so the image's own border keeps full weight.</summary>
    public static float[] Weights(int outputLength, int rampLength, bool rampStart, bool rampEnd)
    {
        var weights = new float[outputLength];
        for (var u = 0; u < outputLength; u++)
        {
            var w = 1f;
            if (rampStart && rampLength > 0)
            {
                w = Math.Min(w, (u + 0.5f) / rampLength);
            }

            if (rampEnd && rampLength > 0)
            {
                w = Math.Min(w, (outputLength - u - 0.5f) / rampLength);
            }

            weights[u] = w;
        }

        return weights;
    }
}
