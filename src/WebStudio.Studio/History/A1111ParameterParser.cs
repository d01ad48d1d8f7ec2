using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebStudio.Studio.History;

/// <summary>
/// Reads the text AUTOMATIC1111 (and WebStudio, ComfyUI exporters, Forge…) put in a PNG's "parameters" chunk:
/// prompt lines, an optional "Negative prompt:" block, and a last line of "Key: value" pairs. Keys this studio
/// does not use (Model hash, Schedule type, Lora hashes, Version…) are kept in <see cref="ParsedParameters.Extra"/>.
/// Named apart from Storage.A1111Parameters (the writer) so that both can be imported in one file.
/// </summary>
public static partial class A1111ParameterParser
{
    private const string NegativePrefix = "Negative prompt:";

    /// <summary>Reads any text in time linear in its length; it never fails on content, only on null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ParsedParameters Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Split('\n');

        // Match by match rather than a MatchCollection, so that a long line's matches do not all stay alive at once.
        var pairs = new List<KeyValuePair<string, string>>();
        for (var m = Pair().Match(lines[^1]); m.Success; m = m.NextMatch())
        {
            pairs.Add(KeyValuePair.Create(m.Groups["key"].Value.Trim(), Unquote(m.Groups["value"].Value.Trim())));
        }

        // As A1111 does: the last line holds the settings only when it has at least three "Key: value" pairs.
        var body = lines;
        if (pairs.Count >= 3)
        {
            body = lines[..^1];
        }
        else
        {
            pairs.Clear();
        }

        var prompt = new StringBuilder();
        var negative = new StringBuilder();
        var inNegative = false;
        foreach (var raw in body)
        {
            var line = raw.TrimEnd();
            if (!inNegative && line.StartsWith(NegativePrefix, StringComparison.Ordinal))
            {
                inNegative = true;
                line = line[NegativePrefix.Length..].TrimStart();
                if (line.Length == 0)
                {
                    continue;
                }
            }

            var target = inNegative ? negative : prompt;
            target.Append(target.Length > 0 ? "\n" : "").Append(line);
        }

        return Build(prompt.ToString().Trim(), negative.ToString().Trim(), pairs);
    }

    private static ParsedParameters Build(string prompt, string negative, List<KeyValuePair<string, string>> pairs)
    {
        var extra = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int? steps = null, width = null, height = null;
        float? cfg = null;
        long? seed = null;
        string? sampler = null, model = null;
        foreach (var (key, value) in pairs)
        {
            switch (key.ToLowerInvariant())
            {
                case "steps" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                    steps = s;
                    break;
                case "sampler":
                    sampler = value;
                    break;
                case "cfg scale" when float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var c):
                    cfg = c;
                    break;
                case "seed" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d):
                    seed = d;
                    break;
                case "size" when TryParseSize(value, out var w, out var h):
                    (width, height) = (w, h);
                    break;
                case "model":
                    model = value;
                    break;
                default:
                    extra[key] = value; // unknown keys, and known keys whose value did not parse
                    break;
            }
        }

        return new ParsedParameters(prompt, negative, steps, sampler, cfg, seed, width, height, model, extra);
    }

    private static bool TryParseSize(string value, out int width, out int height)
    {
        width = height = 0;
        var parts = value.Split('x', 'X');
        return parts.Length == 2
            && int.TryParse(parts[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out height)
            && width > 0 && height > 0;
    }

    // A1111 quotes values that contain commas with JSON string syntax (e.g. Lora hashes: "a: 1, b: 2").
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(value) ?? value;
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                // ArgumentException: a lone surrogate cannot be transcoded to UTF-8 for the JSON reader.
                return value[1..^1];
            }
        }

        return value;
    }

    // The pattern of A1111's own parser (modules/infotext_utils.py): a key of words, spaces, dashes and slashes.
    // NonBacktracking: with backtracking, a long line without a colon took time quadratic in its length (issue 16).
    [GeneratedRegex("""\s*(?<key>\w[\w \-/]+):\s*(?<value>"(?:\\.|[^\\"])+"|[^,]*)(?:,|$)""", RegexOptions.NonBacktracking)]
    private static partial Regex Pair();
}
