using System.Globalization;
using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Editing;

/// <summary>
/// A picture far from the size a model was made for: a model edits a picture at the picture's own size, and far from
/// its own it draws out of what it learned. The built-in instruction model, told "make the star blue" with the same
/// seed, made the star of a 128×128 picture blue whole, and of its 512×512 enlargement only a broken ring around a
/// green star, in five times the time. Said before the edit.
/// </summary>
public static class EditSourceSize
{
    /// <summary>How many times the model's side (by area) a picture may be, either way, before the note is given.</summary>
    public const double FarRatio = 2;

    /// <summary>The note for an edit of a <paramref name="width"/>×<paramref name="height"/> picture on
    /// <paramref name="model"/>, or null where the picture is near the model's size.</summary>
    public static string? Note(EngineModel model, int width, int height)
    {
        var ratio = Math.Sqrt((double)width * height / ((double)model.NativeWidth * model.NativeHeight));
        if (ratio is < FarRatio and > 1 / FarRatio)
        {
            return null;
        }

        var how = ratio >= FarRatio ? $"{ratio:0.#} times the side of" : $"1/{1 / ratio:0.#} of the side of";
        return string.Create(CultureInfo.InvariantCulture,
            $"This picture is {width}×{height}, {how} the {model.NativeWidth}×{model.NativeHeight} pictures '{model.Name}' was made for: its edits come out poorly that far from its own size. Start from a picture near {model.NativeWidth}×{model.NativeHeight}, such as the one this was enlarged from.");
    }
}
