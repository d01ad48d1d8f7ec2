using System.Text.Json.Nodes;
using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Testing.TinyModels;

/// <summary>
/// A tiny CLIP-format BPE vocabulary laid out like openai/clip-vit-large-patch14's: the 256 byte-level
/// symbols, the same with "&lt;/w&gt;", merge results for a few words, then &lt;|startoftext|&gt; and &lt;|endoftext|&gt;.
/// </summary>
internal static class TinyTokenizerFiles
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";

    private static readonly string[] Words =
        ["a", "photo", "of", "the", "cat", "dog", "red", "blue", "horse", "riding", "astronaut", "painting", "portrait", "landscape"];

    /// <summary>Vocabulary tokens in id order.</summary>
    public static IReadOnlyList<string> Vocabulary() => Build().Vocabulary;

    public static void Write(string folder, TinyModelVariant variant)
    {
        Directory.CreateDirectory(folder);
        var (vocabulary, merges) = Build();

        var vocabJson = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            vocabJson[vocabulary[id]] = id;
        }

        DiffusersJson.Write(Path.Combine(folder, "vocab.json"), vocabJson);
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("", merges.Select(m => $"{m.Left} {m.Right}\n")));

        var pad = variant.Sd2Tokenizer ? "!" : EndOfText;
        DiffusersJson.Write(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["add_prefix_space"] = false,
            ["bos_token"] = StartOfText,
            ["clean_up_tokenization_spaces"] = true,
            ["do_lower_case"] = true,
            ["eos_token"] = EndOfText,
            ["errors"] = "replace",
            ["model_max_length"] = TinyModelVariant.MaxTokens,
            ["pad_token"] = pad,
            ["tokenizer_class"] = "CLIPTokenizer",
            ["unk_token"] = EndOfText,
        });
        DiffusersJson.Write(Path.Combine(folder, "special_tokens_map.json"), new JsonObject
        {
            ["bos_token"] = StartOfText,
            ["eos_token"] = EndOfText,
            ["pad_token"] = pad,
            ["unk_token"] = EndOfText,
        });
    }

    private static (List<string> Vocabulary, List<(string Left, string Right)> Merges) Build()
    {
        var symbols = ByteSymbols();
        var vocabulary = new List<string>(symbols);
        vocabulary.AddRange(symbols.Select(s => s + "</w>"));
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);

        // Left-to-right merges: "c a" → "ca", "ca t</w>" → "cat</w>". Every merge result is in the vocabulary,
        // so whatever order BPE applies them in, each token it produces has an id.
        var merges = new List<(string, string)>();
        foreach (var word in Words.Where(w => w.Length > 1))
        {
            var current = word[..1];
            for (var i = 1; i < word.Length; i++)
            {
                var next = i == word.Length - 1 ? word[i] + "</w>" : word[i].ToString();
                var merged = current + next;
                if (known.Add(merged))
                {
                    merges.Add((current, next));
                    vocabulary.Add(merged);
                }

                current = merged;
            }
        }

        vocabulary.Add(StartOfText);
        vocabulary.Add(EndOfText);
        return (vocabulary, merges);
    }

    /// <summary>GPT-2/CLIP bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards.</summary>
    private static List<string> ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1))
            .ToList();
        var symbols = printable.Select(b => ((char)b).ToString()).ToList();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                symbols.Add(((char)next++).ToString());
            }
        }

        return symbols;
    }
}
