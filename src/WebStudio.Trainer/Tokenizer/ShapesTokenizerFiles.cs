using System.Text.Json;
using WebStudio.Generation.Text;

namespace WebStudio.Trainer.Tokenizer;

/// <summary>
/// Writes a CLIP-format tokenizer folder whose BPE merges build every caption word into one token.
/// Vocabulary order follows CLIP: 256 byte symbols, the same with "&lt;/w&gt;", merge results, then
/// &lt;|startoftext|&gt; and &lt;|endoftext|&gt;. Words outside the caption vocabulary still encode, as smaller pieces.
/// </summary>
internal sealed class ShapesTokenizerFiles
{
    public const string StartOfText = ClipTokenizer.StartOfText;
    public const string EndOfText = ClipTokenizer.EndOfText;
    private const string EndOfWord = ClipTokenizer.EndOfWordSuffix;

    private ShapesTokenizerFiles(IReadOnlyList<string> vocabulary, IReadOnlyList<(string Left, string Right)> merges)
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
    /// rank): BPE only reaches it once no earlier merge applies, so words already whole stay whole. The core's
    /// <see cref="ClipTokenizer"/> (over the merges so far) says which two symbols a piece starts with.
    /// </summary>
    public static ShapesTokenizerFiles Build(IEnumerable<string> words)
    {
        var files = new ShapesTokenizerFiles(Layout([]), []);
        var pieces = words.SelectMany(w => ClipTokenizer.Words(w)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var piece in pieces)
        {
            while (true)
            {
                var symbols = files.CreateTokenizer().EncodeWithoutSpecials(piece);
                if (symbols.Count == 1)
                {
                    break;
                }

                List<(string, string)> merges = [.. files.Merges, (files.Vocabulary[symbols[0]], files.Vocabulary[symbols[1]])];
                files = new ShapesTokenizerFiles(Layout(merges), merges);
            }
        }

        return files;
    }

    /// <summary>The core's CLIP tokenizer over this vocabulary, padding with EOS as the written config says.</summary>
    public ClipTokenizer CreateTokenizer()
    {
        var ids = new Dictionary<string, int>(Vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < Vocabulary.Count; i++)
        {
            ids[Vocabulary[i]] = i;
        }

        return ClipTokenizer.Create(ids, Merges.Select(m => $"{m.Left} {m.Right}"), EndOfText);
    }

    private static List<string> Layout(IReadOnlyList<(string Left, string Right)> merges)
    {
        var vocabulary = ClipByteAlphabet.Table.Select(e => e.Char.ToString()).ToList();
        vocabulary.AddRange(ClipByteAlphabet.Table.Select(e => e.Char + EndOfWord));
        vocabulary.AddRange(merges.Select(m => m.Left + m.Right));
        vocabulary.Add(StartOfText);
        vocabulary.Add(EndOfText);
        return vocabulary;
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
}
