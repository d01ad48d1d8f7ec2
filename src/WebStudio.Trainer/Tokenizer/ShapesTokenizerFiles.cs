using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebStudio.Trainer.Tokenizer;

/// <summary>
/// Writes a CLIP-format tokenizer folder whose BPE merges build every caption word into one token.
/// Vocabulary order follows CLIP: 256 byte symbols, the same with "&lt;/w&gt;", merge results, then
/// &lt;|startoftext|&gt; and &lt;|endoftext|&gt;. Words outside the caption vocabulary still encode, as smaller pieces.
/// </summary>
internal sealed partial class ShapesTokenizerFiles
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    private const string EndOfWord = "</w>";

    private ShapesTokenizerFiles(List<string> vocabulary, List<(string Left, string Right)> merges)
    {
        Vocabulary = vocabulary;
        Merges = merges;
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Merges in rank order.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public int StartId => Vocabulary.Count - 2;

    public int EndId => Vocabulary.Count - 1;

    /// <summary>
    /// Adds merges until every word's BPE result is a single token. A new merge always goes last (highest
    /// rank): BPE only reaches it once no earlier merge applies, so words already whole stay whole.
    /// </summary>
    public static ShapesTokenizerFiles Build(IEnumerable<string> words)
    {
        var merges = new List<(string, string)>();
        var ranks = new Dictionary<(string, string), int>();
        var pieces = words.SelectMany(w => PreTokenize(w.ToLowerInvariant())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var piece in pieces)
        {
            while (true)
            {
                var symbols = Bpe(piece, ranks);
                if (symbols.Count == 1)
                {
                    break;
                }

                var pair = (symbols[0], symbols[1]);
                ranks[pair] = merges.Count;
                merges.Add(pair);
            }
        }

        var vocabulary = ClipByteAlphabet.Table.Select(e => e.Char.ToString()).ToList();
        vocabulary.AddRange(ClipByteAlphabet.Table.Select(e => e.Char + EndOfWord));
        vocabulary.AddRange(merges.Select(m => m.Item1 + m.Item2));
        vocabulary.Add(StartOfText);
        vocabulary.Add(EndOfText);
        return new ShapesTokenizerFiles(vocabulary, merges);
    }

    /// <summary>CLIP's word splitting (after lowercasing): letters runs, single digits, punctuation runs.</summary>
    public static IEnumerable<string> PreTokenize(string text) =>
        WordPattern().Matches(text).Select(m => m.Value);

    /// <summary>CLIP's bpe(): byte symbols, last one with "&lt;/w&gt;", repeatedly merge the lowest-ranked adjacent pair.</summary>
    public static List<string> Bpe(string word, IReadOnlyDictionary<(string, string), int> ranks)
    {
        var symbols = Encoding.UTF8.GetBytes(word).Select(b => ClipByteAlphabet.ByByte[b].ToString()).ToList();
        symbols[^1] += EndOfWord;
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            var (left, right) = (symbols[best], symbols[best + 1]);
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == left && symbols[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }

            symbols = merged;
        }

        return symbols;
    }

    /// <summary>Writes vocab.json, merges.txt, tokenizer_config.json and special_tokens_map.json.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var vocab = new Dictionary<string, int>();
        for (var i = 0; i < Vocabulary.Count; i++)
        {
            vocab[Vocabulary[i]] = i;
        }

        var json = new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab, json));
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), new[] { "#version: 0.2" }.Concat(Merges.Select(m => $"{m.Left} {m.Right}")));
        var indented = new JsonSerializerOptions { WriteIndented = true };
        var special = new Dictionary<string, object>
        {
            ["bos_token"] = StartOfText,
            ["eos_token"] = EndOfText,
            ["unk_token"] = EndOfText,
            ["pad_token"] = EndOfText,
        };
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), JsonSerializer.Serialize(special, indented));
        var config = new Dictionary<string, object>(special)
        {
            ["model_max_length"] = 77,
            ["do_lower_case"] = true,
            ["tokenizer_class"] = "CLIPTokenizer",
            ["add_prefix_space"] = false,
            ["errors"] = "replace",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), JsonSerializer.Serialize(config, indented));
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex WordPattern();
}
