using System.Text.RegularExpressions;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// Finds the words of a prompt that a model does not know. A1111's syntax is not words: emphasis weights
/// ("(red:1.2)"), prompt-editing steps ("[a:b:0.5]"), extra networks ("&lt;lora:x:1&gt;") and the BREAK keyword are
/// skipped. Words compare without case (the CLIP tokenizer lowers them); each unknown word is listed once, in the
/// order it first appears.
/// </summary>
public static partial class PromptVocabulary
{
    public static IReadOnlyList<string> UnknownWords(string prompt, IReadOnlySet<string> known)
    {
        var text = ExtraNetwork().Replace(prompt, " ");
        text = Weight().Replace(text, " ");
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Word().Matches(text))
        {
            if (match.Value == "BREAK")
            {
                continue;
            }

            var word = match.Value.ToLowerInvariant();
            if (!known.Contains(word) && seen.Add(word))
            {
                unknown.Add(word);
            }
        }

        return unknown;
    }

    [GeneratedRegex(@"<[^<>]*>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ExtraNetwork();

    // ":1.2", ": 0.5", ":-1", and a bare decimal such as "1.5": numbers of the syntax, not of the prompt.
    [GeneratedRegex(@":\s*-?\d+(?:\.\d+)?|\d+\.\d+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Weight();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Word();
}
