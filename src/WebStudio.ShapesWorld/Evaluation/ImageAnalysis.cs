using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>
/// Splits an image into background and foreground blobs. Foreground = pixels clearly away from the
/// border colour; each blob's colour is the median of its purest pixels, so blurry edges (which pass
/// through other palette colours) do not create spurious objects.
/// </summary>
public sealed class ImageAnalysis
{
    /// <summary>RGB distance from the background above which a pixel is foreground (half the palette's minimum separation).</summary>
    public const int ForegroundThreshold = 45;
    /// <summary>Blobs smaller than this are noise.</summary>
    public const int MinArea = 80;
    /// <summary>A blob's median colour must be this close to a palette colour to be named.</summary>
    public const int ColourThreshold = 80;

    private ImageAnalysis(int width, int height, Rgb24[] pixels, Rgb24 backgroundRgb, NamedColour? background, bool[] foreground, IReadOnlyList<DetectedObject> objects)
    {
        Width = width; Height = height; Pixels = pixels; BackgroundRgb = backgroundRgb; Background = background; Foreground = foreground; Objects = objects;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>The image, row-major.</summary>
    internal Rgb24[] Pixels { get; }
    public Rgb24 BackgroundRgb { get; }
    /// <summary>Nearest named colour to the border median, or null when none is close.</summary>
    public NamedColour? Background { get; }
    public bool[] Foreground { get; }
    public IReadOnlyList<DetectedObject> Objects { get; }

    public static ImageAnalysis Analyze(Image<Rgb24> image)
    {
        int w = image.Width, h = image.Height;
        var pixels = new Rgb24[w * h];
        image.CopyPixelDataTo(pixels);
        var bgRgb = BorderMedian(pixels, w, h);
        var background = Nearest(Palette.All, bgRgb, ColourThreshold);
        var fg = new bool[w * h];
        for (var i = 0; i < fg.Length; i++) fg[i] = Distance2(pixels[i], bgRgb) > ForegroundThreshold * ForegroundThreshold;
        // Opening with a 3×3 square drops 1-2 px specks and halos (JPEG ringing) but keeps squares square.
        fg = Dilate(Erode(fg, w, h), w, h);
        var objects = new List<DetectedObject>();
        foreach (var blob in Components(fg, w, h))
        {
            if (blob.Count < MinArea) continue;
            objects.Add(Describe(blob, pixels, bgRgb, w, h));
        }
        return new ImageAnalysis(w, h, pixels, bgRgb, background, fg, objects);
    }

    private static DetectedObject Describe(List<int> blob, Rgb24[] pixels, Rgb24 background, int w, int h)
    {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        foreach (var p in blob)
        {
            int x = p % w, y = p / w;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
        }
        var colour = Nearest(Palette.ObjectColours, PurestMedian(blob, pixels, background), ColourThreshold);
        var shape = ShapeClassifier.Classify(blob, w, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        return new DetectedObject(colour, shape, blob.Count, x0, y0, x1 - x0 + 1, y1 - y0 + 1, blob);
    }

    /// <summary>
    /// Median colour of the quarter of the blob farthest from the background: the object's own
    /// colour survives there even when blur has mixed every edge pixel with the background.
    /// </summary>
    private static Rgb24 PurestMedian(List<int> blob, Rgb24[] pixels, Rgb24 background)
    {
        var purest = blob.OrderByDescending(p => Distance2(pixels[p], background)).ThenBy(p => p)
            .Take(Math.Max(8, blob.Count / 4)).Select(p => pixels[p]).ToList();
        return Median(purest);
    }

    private static bool[] Erode(bool[] mask, int w, int h) => Morph(mask, w, h, all: true);

    private static bool[] Dilate(bool[] mask, int w, int h) => Morph(mask, w, h, all: false);

    /// <summary>3×3 erosion (all neighbours set) or dilation (any neighbour set); outside the image counts as unset.</summary>
    private static bool[] Morph(bool[] mask, int w, int h, bool all)
    {
        var result = new bool[mask.Length];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var value = all;
            for (var dy = -1; dy <= 1 && value == all; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                int nx = x + dx, ny = y + dy;
                var set = nx >= 0 && ny >= 0 && nx < w && ny < h && mask[ny * w + nx];
                if (set != all) { value = !all; break; }
            }
            result[y * w + x] = value;
        }
        return result;
    }

    private static Rgb24 BorderMedian(Rgb24[] pixels, int w, int h)
    {
        var border = new List<Rgb24>();
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2) border.Add(pixels[y * w + x]);
        return Median(border);
    }

    private static Rgb24 Median(List<Rgb24> colours)
    {
        static byte Mid(IEnumerable<byte> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        return new Rgb24(Mid(colours.Select(c => c.R)), Mid(colours.Select(c => c.G)), Mid(colours.Select(c => c.B)));
    }

    internal static NamedColour? Nearest(IReadOnlyList<NamedColour> palette, Rgb24 rgb, int threshold)
    {
        NamedColour? best = null;
        var bestD = int.MaxValue;
        foreach (var c in palette)
        {
            var d = c.DistanceSquared(rgb.R, rgb.G, rgb.B);
            if (d < bestD) { bestD = d; best = c; }
        }
        return bestD <= threshold * threshold ? best : null;
    }

    private static int Distance2(Rgb24 a, Rgb24 b)
    {
        int dr = a.R - b.R, dg = a.G - b.G, db = a.B - b.B;
        return dr * dr + dg * dg + db * db;
    }

    /// <summary>8-connected components of the mask, as lists of pixel indices.</summary>
    internal static List<List<int>> Components(bool[] mask, int w, int h)
    {
        var seen = new bool[mask.Length];
        var result = new List<List<int>>();
        var stack = new Stack<int>();
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || seen[start]) continue;
            var blob = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                blob.Add(p);
                int x = p % w, y = p / w;
                for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    var q = ny * w + nx;
                    if (mask[q] && !seen[q]) { seen[q] = true; stack.Push(q); }
                }
            }
            result.Add(blob);
        }
        return result;
    }
}
