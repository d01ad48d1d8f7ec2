using System.Globalization;
using System.Text;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// Splits input scenes into training and held-out ones by a stable hash of the scene's coarse content
/// (background, and each object's shape, colour and 16-px cell), so a held-out scene differs from every training
/// scene in what it shows, not only in sub-pixel jitter, whatever seeds the streams use.
/// </summary>
public static class SceneSplit
{
    /// <summary>One scene in this many is held out.</summary>
    public const int HeldOutOneIn = 8;
    private const int Cell = 16;

    public static EditSplit Of(SceneLayout input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parts = input.Objects
            .Select(o => string.Create(CultureInfo.InvariantCulture,
                $"{o.Shape}:{o.Colour.Name}:{(int)(o.Box.CentreX / Cell)}:{(int)(o.Box.CentreY / Cell)}"))
            .Order(StringComparer.Ordinal);
        var signature = input.Background.Name + "|" + string.Join(";", parts);
        return Fnv1a(signature) % HeldOutOneIn == 0 ? EditSplit.HeldOut : EditSplit.Training;
    }

    // FNV-1a: string.GetHashCode is randomised per process.
    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
