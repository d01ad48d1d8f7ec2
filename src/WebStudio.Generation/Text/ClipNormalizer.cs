using System.Net;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace WebStudio.Generation.Text;

/// <summary>CLIP's text cleanup before BPE: HTML entities decoded (twice, as CLIP's basic_clean does),
/// whitespace runs collapsed to one space, ends trimmed, then lower-cased.</summary>
internal sealed partial class ClipNormalizer : Normalizer
{
    public static ClipNormalizer Instance { get; } = new();

    public override string Normalize(string original)
    {
        var text = WebUtility.HtmlDecode(WebUtility.HtmlDecode(original));
        return Whitespace().Replace(text, " ").Trim().ToLowerInvariant();
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
