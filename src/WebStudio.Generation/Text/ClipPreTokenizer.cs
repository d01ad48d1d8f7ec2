using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace WebStudio.Generation.Text;

/// <summary>CLIP's word splitter: special tokens, English contractions, letter runs, single digits,
/// and runs of other non-space symbols.</summary>
internal static partial class ClipPreTokenizer
{
    public static PreTokenizer Create(IReadOnlyDictionary<string, int> specialTokens) =>
        new RegexPreTokenizer(Pattern(), specialTokens);

    /// <summary>The words of already-normalized text, in order.</summary>
    public static IEnumerable<string> Split(string normalized) => Pattern().Matches(normalized).Select(m => m.Value);

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Pattern();
}
