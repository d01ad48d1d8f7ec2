using System.Globalization;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Engine;

/// <summary>Image sizes offered for a model: its native square, 3:2 landscape and portrait, and twice native, each a
/// size the model can make.</summary>
public static class SizePresets
{
    public static IReadOnlyList<string> For(EngineModel model)
    {
        int w = model.NativeWidth, h = model.NativeHeight, m = model.SizeMultiple;
        return new[] { (w, h), (Round(w * 3 / 2, m), h), (w, Round(h * 3 / 2, m)), (w * 2, h * 2) }
            .Select(s => Format(s.Item1, s.Item2)).Distinct().ToList();
    }

    public static string Format(int width, int height) => string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");

    /// <summary>"WxH" to numbers; anything else gives 0x0, which validation reports as a bad width and height.</summary>
    public static (int Width, int Height) Parse(string? size)
    {
        var parts = (size ?? "").Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            ? (w, h)
            : (0, 0);
    }

    /// <summary>An uploaded picture's own size, scaled into the limits and rounded down to multiples of 8: the size
    /// an edit of it runs at when none is asked for ("auto").</summary>
    public static (int Width, int Height) FitUpload(int width, int height)
    {
        var scale = Math.Min(1.0, (double)GenerationRequest.MaxSize / Math.Max(width, height));
        scale = Math.Max(scale, (double)GenerationRequest.MinSize / Math.Min(width, height));
        return (Fit(width * scale), Fit(height * scale));
    }

    private static int Fit(double side) =>
        Math.Clamp((int)side / GenerationRequest.SizeMultiple * GenerationRequest.SizeMultiple, GenerationRequest.MinSize, GenerationRequest.MaxSize);

    // To the nearest side the model can make (multiples of 8 at least).
    private static int Round(int value, int multiple) => (value + multiple / 2) / multiple * multiple;
}
