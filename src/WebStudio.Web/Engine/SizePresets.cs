using System.Globalization;

namespace WebStudio.Web.Engine;

/// <summary>Image sizes offered for a model: its native square, 3:2 landscape and portrait, and twice native.</summary>
public static class SizePresets
{
    public static IReadOnlyList<string> For(EngineModel model)
    {
        int w = model.NativeWidth, h = model.NativeHeight;
        return new[] { (w, h), (Round8(w * 3 / 2), h), (w, Round8(h * 3 / 2)), (w * 2, h * 2) }
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

    private static int Round8(int value) => (value + 4) / 8 * 8;
}
