using System.Text.RegularExpressions;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// Finds the words of a prompt that a model does not know. A1111's syntax is not words: emphasis weights
/// ("(red:1.2)"), prompt-editing steps ("[a:b:0.5]"), extra networks ("&lt;lora:x:1&gt;"), dynamic prompts'
/// wildcards ("__colors__", "__colors*__"), counts ("{2$$", "{1-3$$"), weights ("3::") and variables' names ("${c=",
/// "${c}"), and the BREAK keyword are
/// skipped. Words compare without case (the CLIP tokenizer lowers them); each unknown word is listed once, in the order
/// it first appears.
/// </summary>
public static partial class PromptVocabulary
{
    /// <param name="spelling">The words the model spells (<see cref="ModelCard.Spelling"/>): its keyword, and the words it
    /// spells, are not unknown.</param>
    public static IReadOnlyList<string> UnknownWords(string prompt, IReadOnlySet<string> known, SpelledWords? spelling = null)
    {
        var text = ExtraNetwork().Replace(prompt, " ");
        text = Wildcard().Replace(text, " ");
        text = DynamicCounts().Replace(text, " ");
        text = Weight().Replace(text, " ");
        var words = Word().Matches(text).Select(m => m.Value).Where(w => w != "BREAK").Select(w => w.ToLowerInvariant()).ToList();
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!known.Contains(word) && !IsSpelled(words, i, spelling) && seen.Add(word))
            {
                unknown.Add(word);
            }
        }

        return unknown;
    }

    /// <summary>The keyword itself; a word after it; a word before "in" ("open in yellow").</summary>
    private static bool IsSpelled(List<string> words, int i, SpelledWords? spelling) =>
        spelling is not null && (words[i] == spelling.Keyword
            || (spelling.Fits(words[i]) && ((i > 0 && words[i - 1] == spelling.Keyword) || (i + 1 < words.Count && words[i + 1] == "in"))));

    [GeneratedRegex(@"<[^<>]*>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ExtraNetwork();

    [GeneratedRegex(@"__[\p{L}\p{N}_\-/. *]+?__", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Wildcard();

    [GeneratedRegex(@"\{\d*-?\d*\$\$|\d+(?:\.\d+)?::|\$\{[\p{L}\p{N}_]+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DynamicCounts();

    // ":1.2", ": 0.5", ":-1", and a bare decimal such as "1.5": numbers of the syntax, not of the prompt.
    [GeneratedRegex(@":\s*-?\d+(?:\.\d+)?|\d+\.\d+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Weight();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Word();
}
