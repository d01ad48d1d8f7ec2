using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// A super-resolution ONNX model (such as a Real-ESRGAN ×4 export): input [1,3,h,w] RGB in [0,1], output
/// [1,3,s·h,s·w]. Inputs and outputs are bound by name from the session metadata, float16 graphs are fed and
/// read through <see cref="OrtTensors"/>, and images run in overlapping tiles blended with linear weights, so
/// memory stays bounded and the result matches whole-image inference away from the tile seams.
/// </summary>
public sealed class OnnxSuperResolution : IDisposable
{
    public const int DefaultTileSize = 128, DefaultOverlap = 16;

    // Big enough for window-attention models (multiples of 8), small enough to be instant.
    private const int ProbeSize = 32;

    private readonly InferenceSession _session;
    private readonly ComputeThreads _compute;
    private readonly TensorKind _input;
    private readonly TensorKind _output;

    private OnnxSuperResolution(string displayName, InferenceSession session, string provider, ComputeThreads? compute,
        TensorKind input, TensorKind output, int tileWidth, int tileHeight, int overlap)
    {
        DisplayName = displayName;
        _session = session;
        _compute = ComputeThreads.ForSession(compute, provider);
        Provider = provider;
        _input = input;
        _output = output;
        TileWidth = tileWidth;
        TileHeight = tileHeight;
        Overlap = overlap;
        Scale = DetectScale();
    }

    /// <summary>The model's file name, used in every error.</summary>
    public string DisplayName { get; }

    public string Provider { get; }

    /// <summary>How many times larger the output is, read from the model's metadata or from a probe run.</summary>
    public int Scale { get; }

    public int TileWidth { get; }

    public int TileHeight { get; }

    public int Overlap { get; }

    /// <param name="tileSize">Input tile side; ignored for graphs whose input size is fixed (their size is used).
    /// Pass a size at least the image's to run the whole image at once.</param>
    /// <param name="overlap">Input pixels shared by neighbouring tiles and cross-faded.</param>
    public static OnnxSuperResolution Load(string modelPath, ModelLoadOptions? options = null, ILogger? logger = null,
        int tileSize = DefaultTileSize, int overlap = DefaultOverlap)
    {
        var displayName = Path.GetFileName(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"The upscaler model {displayName} does not exist.");
        }

        InferenceSession session;
        string provider;
        try
        {
            (session, provider) = ExecutionProviders.CreateSession(modelPath, options ?? new ModelLoadOptions(), logger ?? NullLogger.Instance);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{displayName} could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }

        try
        {
            var input = SingleImageTensor(displayName, "input", session.InputMetadata);
            var output = SingleImageTensor(displayName, "output", session.OutputMetadata);
            var tileWidth = input.FixedDimension(3) ?? tileSize;
            var tileHeight = input.FixedDimension(2) ?? tileSize;
            if (overlap < 0 || overlap * 2 > Math.Min(tileWidth, tileHeight))
            {
                throw new ArgumentOutOfRangeException(nameof(overlap), overlap,
                    $"The tile overlap must be between 0 and half the tile size ({tileWidth}×{tileHeight}).");
            }

            return new OnnxSuperResolution(displayName, session, provider, options?.Compute, input, output, tileWidth, tileHeight, overlap);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The image upscaled by <see cref="Scale"/>. Cancellation is checked between tiles;
    /// <paramref name="progress"/> gets the fraction of tiles done.</summary>
    public Image<Rgb24> Upscale(Image<Rgb24> image, CancellationToken cancellationToken = default, IProgress<float>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        Upscaler.CheckOutputSize(image.Width, image.Height, Scale);
        var source = Planes(image);
        var (width, height) = (image.Width, image.Height);
        var outWidth = width * Scale;
        var outHeight = height * Scale;
        var sum = new float[3 * outWidth * outHeight];
        var weightSum = new float[outWidth * outHeight];

        // A graph with a dynamic size gets tiles no larger than the image; a fixed one gets padded tiles.
        var tileWidth = _input.FixedDimension(3) ?? Math.Min(TileWidth, width);
        var tileHeight = _input.FixedDimension(2) ?? Math.Min(TileHeight, height);
        var xs = TileLayout.Starts(width, tileWidth, Overlap);
        var ys = TileLayout.Starts(height, tileHeight, Overlap);
        var done = 0;
        foreach (var y0 in ys)
        {
            foreach (var x0 in xs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var tile = RunTile(Crop(source, width, height, x0, y0, tileWidth, tileHeight), tileWidth, tileHeight);
                var wx = TileLayout.Weights(tileWidth * Scale, Overlap * Scale, x0 > 0, x0 + tileWidth < width);
                var wy = TileLayout.Weights(tileHeight * Scale, Overlap * Scale, y0 > 0, y0 + tileHeight < height);
                Accumulate(tile, tileWidth * Scale, tileHeight * Scale, x0 * Scale, y0 * Scale, wx, wy,
                    sum, weightSum, outWidth, outHeight);
                progress?.Report(++done / (float)(xs.Count * ys.Count));
            }
        }

        return ToImage(sum, weightSum, outWidth, outHeight);
    }

    public void Dispose() => _session.Dispose();

    private static TensorKind SingleImageTensor(string displayName, string what, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var rank4 = metadata.Where(p => p.Value.IsTensor && p.Value.Dimensions.Length == 4).ToList();
        if (metadata.Count != 1 || rank4.Count != 1)
        {
            throw new ModelLoadException(
                $"{displayName} is not a super-resolution model: it needs exactly one {what} of shape [1,3,h,w] " +
                $"(its {what}s are: {string.Join(", ", metadata.Select(p => TensorKind.From(p.Key, p.Value)))}).");
        }

        var kind = TensorKind.From(rank4[0].Key, rank4[0].Value);
        if (kind.ElementType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelLoadException($"{displayName}: {what} '{kind.Name}' is {kind.ElementType}; expected float or float16 ({kind}).");
        }

        if (kind.FixedDimension(1) is { } channels && channels != 3)
        {
            throw new ModelLoadException($"{displayName}: {what} '{kind.Name}' has {channels} channels; expected 3 (RGB) ({kind}).");
        }

        return kind;
    }

    // Metadata "scale" when the exporter wrote it; else fixed input/output sizes; else one small probe run.
    private int DetectScale()
    {
        if (_session.ModelMetadata.CustomMetadataMap.TryGetValue("scale", out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var declared) && declared >= 1)
        {
            return declared;
        }

        int outHeight, outWidth;
        var inHeight = _input.FixedDimension(2) ?? ProbeSize;
        var inWidth = _input.FixedDimension(3) ?? ProbeSize;
        if (_input.FixedDimension(2) is not null && _input.FixedDimension(3) is not null
            && _output.FixedDimension(2) is { } fixedHeight && _output.FixedDimension(3) is { } fixedWidth)
        {
            (outHeight, outWidth) = (fixedHeight, fixedWidth);
        }
        else
        {
            var probe = new float[3 * inHeight * inWidth];
            Array.Fill(probe, 0.5f);
            using var outputs = Run(probe, inWidth, inHeight);
            var shape = OrtTensors.ShapeOf(outputs[0]);
            (outHeight, outWidth) = ((int)shape[2], (int)shape[3]);
        }

        if (outHeight % inHeight != 0 || outHeight / inHeight < 1 || outHeight / inHeight != outWidth / inWidth
            || outWidth % inWidth != 0)
        {
            throw new ModelLoadException(
                $"{DisplayName}: a {inWidth}×{inHeight} input gives a {outWidth}×{outHeight} output, not a whole-number upscale.");
        }

        return outHeight / inHeight;
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(float[] planes, int width, int height)
    {
        using var input = OrtTensors.FromFloats(planes, [1, 3, height, width], _input);
        using var runOptions = new RunOptions();
        try
        {
            return _compute.Invoke(() => _session.Run(runOptions, [_input.Name], [input], [_output.Name]));
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{DisplayName} failed on a {width}×{height} input: {ex.Message}", ex);
        }
    }

    private float[] RunTile(float[] planes, int width, int height)
    {
        using var outputs = Run(planes, width, height);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        if (shape.Length != 4 || shape[1] != 3 || shape[2] != height * Scale || shape[3] != width * Scale)
        {
            throw new ModelLoadException(
                $"{DisplayName}: output '{_output.Name}' has shape [{string.Join(",", shape)}] for a {width}×{height} tile; " +
                $"expected [1,3,{height * Scale},{width * Scale}].");
        }

        return OrtTensors.ToFloats(outputs[0], _output.Name);
    }

    private static float[] Planes(Image<Rgb24> image) => ImageTensors.ToPlanes(image, 1f / 255f, 0f);

    // Pixels past the image (only for fixed-size graphs) repeat the edge, which upscales without dark borders.
    private static float[] Crop(float[] source, int width, int height, int x0, int y0, int tileWidth, int tileHeight)
    {
        var tile = new float[3 * tileWidth * tileHeight];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < tileHeight; y++)
            {
                var sy = Math.Min(y0 + y, height - 1);
                for (var x = 0; x < tileWidth; x++)
                {
                    var sx = Math.Min(x0 + x, width - 1);
                    tile[(c * tileHeight + y) * tileWidth + x] = source[(c * height + sy) * width + sx];
                }
            }
        }

        return tile;
    }

    private static void Accumulate(float[] tile, int tileWidth, int tileHeight, int x0, int y0, float[] wx, float[] wy,
        float[] sum, float[] weightSum, int outWidth, int outHeight)
    {
        var plane = outWidth * outHeight;
        var tilePlane = tileWidth * tileHeight;
        for (var y = 0; y < tileHeight && y0 + y < outHeight; y++)
        {
            for (var x = 0; x < tileWidth && x0 + x < outWidth; x++)
            {
                var w = wx[x] * wy[y];
                var o = (y0 + y) * outWidth + x0 + x;
                var t = y * tileWidth + x;
                weightSum[o] += w;
                sum[o] += w * tile[t];
                sum[o + plane] += w * tile[t + tilePlane];
                sum[o + 2 * plane] += w * tile[t + 2 * tilePlane];
            }
        }
    }

    private static Image<Rgb24> ToImage(float[] sum, float[] weightSum, int width, int height)
    {
        var plane = width * height;
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var o = y * width + x;
                    var w = weightSum[o];
                    row[x] = new Rgb24(ToByte(sum[o] / w), ToByte(sum[o + plane] / w), ToByte(sum[o + 2 * plane] / w));
                }
            }
        });
        return image;
    }

    private static byte ToByte(float value) => (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
