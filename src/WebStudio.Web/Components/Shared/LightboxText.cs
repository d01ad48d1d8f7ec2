using System.Globalization;

namespace WebStudio.Web.Components.Shared;

/// <summary>The lightbox's parameters text, in A1111's layout (the one "Copy parameters" and PNG import read).</summary>
public static class LightboxText
{
    public static string Parameters(string? prompt, string? negativePrompt, int steps, string scheduler, float guidance, long seed, int width, int height, string model)
    {
        var lines = new List<string>();
        if (prompt is not null)
        {
            lines.Add(prompt);
        }

        if (!string.IsNullOrEmpty(negativePrompt))
        {
            lines.Add("Negative prompt: " + negativePrompt);
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Steps: {steps}, Sampler: {scheduler}, CFG scale: {guidance:0.###}, Seed: {seed}, Size: {width}x{height}, Model: {model}"));
        return string.Join('\n', lines);
    }

    public static string Size(int width, int height) => string.Create(CultureInfo.InvariantCulture, $"{width}×{height}");
}
