using System.Text.RegularExpressions;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>
/// Finds where C# source makes a regex — <c>new Regex(…)</c>, <c>Regex x = new(…)</c>, <c>[GeneratedRegex(…)]</c> and
/// the static <c>Regex.Match/IsMatch/Matches/Replace/Split/Count/EnumerateMatches(…)</c> — and whether its
/// arguments ask for <see cref="RegexOptions.NonBacktracking"/> or a timeout.
/// </summary>
public static partial class RegexSourceScan
{
    public sealed record Site(int Line, string Text, bool Linear);

    public static IEnumerable<Site> Sites(string source)
    {
        foreach (Match start in Start().Matches(source))
        {
            var open = start.Index + start.Length - 1;
            var arguments = Arguments(source, open);
            var linear = arguments.Contains("NonBacktracking", StringComparison.Ordinal)
                || arguments.Contains("TimeSpan", StringComparison.Ordinal)
                || arguments.Contains("matchTimeout", StringComparison.OrdinalIgnoreCase);
            var line = source.AsSpan(0, start.Index).Count('\n') + 1;
            var text = source[start.Index..Math.Min(source.Length, open + 1 + arguments.Length + 1)].ReplaceLineEndings(" ");
            yield return new Site(line, text, linear);
        }
    }

    /// <summary>The text between the parenthesis at <paramref name="open"/> and its match, skipping string and char
    /// literals (patterns are full of parentheses).</summary>
    private static string Arguments(string source, int open)
    {
        var depth = 0;
        for (var i = open; i < source.Length; i++)
        {
            switch (source[i])
            {
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return source[(open + 1)..i];
                case '"':
                    i = StringEnd(source, i);
                    break;
                case '\'':
                    i = source.IndexOf('\'', source[i + 1] == '\\' ? i + 3 : i + 2);
                    break;
            }

            if (i < 0)
            {
                break;
            }
        }

        return source[(open + 1)..];
    }

    /// <summary>The index of the closing quote of the literal opening at <paramref name="quote"/>.</summary>
    private static int StringEnd(string source, int quote)
    {
        var raw = 0;
        while (quote + raw < source.Length && source[quote + raw] == '"')
        {
            raw++;
        }

        if (raw >= 3)
        {
            var close = source.IndexOf(new string('"', raw), quote + raw, StringComparison.Ordinal);
            return close < 0 ? -1 : close + raw - 1;
        }

        if (raw == 2)
        {
            return quote + 1; // ""
        }

        var verbatim = quote > 0 && source[quote - 1] == '@' || quote > 1 && source[quote - 2] == '@';
        for (var i = quote + 1; i < source.Length; i++)
        {
            if (verbatim && source[i] == '"' && i + 1 < source.Length && source[i + 1] == '"')
            {
                i++;
            }
            else if (!verbatim && source[i] == '\\')
            {
                i++;
            }
            else if (source[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex("""\bnew\s+(?:System\.Text\.RegularExpressions\.)?Regex\s*\(|\bRegex\s+\w+\s*=\s*new\s*\(|\[\s*GeneratedRegex\s*\(|\bRegex\s*\.\s*(?:IsMatch|Match|Matches|Replace|Split|Count|EnumerateMatches|EnumerateSplits)\s*\(""",
        RegexOptions.NonBacktracking)]
    private static partial Regex Start();
}
