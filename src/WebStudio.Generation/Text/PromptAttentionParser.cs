using System.Globalization;
using System.Text.RegularExpressions;

namespace WebStudio.Generation.Text;

/// <summary>A1111's attention syntax (modules/prompt_parser.py, parse_prompt_attention):
/// "(a)" ×1.1, "[a]" ÷1.1, "(a:1.3)" ×1.3, nesting multiplies, "\(" "\)" "\[" "\]" "\\" are literals,
/// unclosed brackets still apply to the rest of the prompt, a stray closer is plain text, and a number that does
/// not parse ("(a:1.2.3)") is kept as text.</summary>
public static partial class PromptAttentionParser
{
    private const double RoundMultiplier = 1.1;
    private const double SquareMultiplier = 1 / 1.1;

    /// <summary>The prompt's runs of equal weight, in order; any text parses (at least one segment comes back).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public static IReadOnlyList<PromptSegment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);

        // Segments emitted so far; an open bracket remembers the index from which its multiplier applies.
        var parts = new List<PromptSegment>();
        var round = new Stack<int>();
        var square = new Stack<int>();

        void MultiplyFrom(int start, double multiplier)
        {
            for (var p = start; p < parts.Count; p++)
            {
                // A BREAK inside brackets stays a BREAK (A1111 would lose it once its -1 marker is scaled).
                if (!parts[p].IsBreak)
                {
                    parts[p] = parts[p] with { Weight = parts[p].Weight * multiplier };
                }
            }
        }

        foreach (Match m in Attention().Matches(prompt))
        {
            var text = m.Value;
            var weight = m.Groups[1];
            if (text.StartsWith('\\'))
            {
                parts.Add(new PromptSegment(text[1..], 1.0));
            }
            else if (text == "(")
            {
                round.Push(parts.Count);
            }
            else if (text == "[")
            {
                square.Push(parts.Count);
            }
            else if (weight.Success && round.Count > 0
                && double.TryParse(weight.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var explicitWeight))
            {
                MultiplyFrom(round.Pop(), explicitWeight);
            }
            else if (text == ")" && round.Count > 0)
            {
                MultiplyFrom(round.Pop(), RoundMultiplier);
            }
            else if (text == "]" && square.Count > 0)
            {
                MultiplyFrom(square.Pop(), SquareMultiplier);
            }
            else
            {
                var pieces = BreakKeyword().Split(text);
                for (var i = 0; i < pieces.Length; i++)
                {
                    if (i > 0)
                    {
                        parts.Add(PromptSegment.Break);
                    }

                    parts.Add(new PromptSegment(pieces[i], 1.0));
                }
            }
        }

        // Unclosed brackets apply innermost-last, in A1111's list order: float products depend on order, and the
        // exact weights decide which neighbouring runs merge.
        foreach (var start in round.Reverse())
        {
            MultiplyFrom(start, RoundMultiplier);
        }

        foreach (var start in square.Reverse())
        {
            MultiplyFrom(start, SquareMultiplier);
        }

        if (parts.Count == 0)
        {
            parts.Add(new PromptSegment("", 1.0));
        }

        return MergeEqualWeights(parts);
    }

    private static List<PromptSegment> MergeEqualWeights(List<PromptSegment> parts)
    {
        var merged = new List<PromptSegment>();
        foreach (var part in parts)
        {
            if (merged.Count > 0 && !part.IsBreak && !merged[^1].IsBreak && merged[^1].Weight == part.Weight)
            {
                merged[^1] = merged[^1] with { Text = merged[^1].Text + part.Text };
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }

    // Same alternatives, same order as A1111's re_attention.
    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|]|[^\\()\[\]:]+|:", RegexOptions.NonBacktracking)]
    private static partial Regex Attention();

    [GeneratedRegex(@"\s*\bBREAK\b\s*", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex BreakKeyword();
}
