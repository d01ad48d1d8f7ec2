using System.Text.Json;
using WebStudio.Generation.Text;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Onnx;

/// <summary>The tiny tokenizer folders load in the core's CLIP tokenizer and frame prompts as CLIP does.</summary>
public sealed class TinyTokenizerTests
{
    private static Dictionary<string, int> Vocabulary(string folder) =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "tokenizer", "vocab.json")))!;

    [Fact]
    public void Vocabulary_has_clip_layout_with_specials_last()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Path, TinyModelVariant.DiffusersScript);
        var vocabulary = Vocabulary(temp.Path);

        Assert.Equal(0, vocabulary["!"]);
        Assert.Equal(256, vocabulary["!</w>"]);
        Assert.Equal(vocabulary.Count - 2, vocabulary["<|startoftext|>"]);
        Assert.Equal(vocabulary.Count - 1, vocabulary["<|endoftext|>"]);
        Assert.Equal(vocabulary.Count, vocabulary.Values.Distinct().Count());
        var merges = File.ReadAllLines(Path.Combine(temp.Path, "tokenizer", "merges.txt"));
        Assert.StartsWith("#version", merges[0]);
        Assert.All(merges.Skip(1), line => Assert.True(vocabulary.ContainsKey(line.Replace(" ", "")), $"merge '{line}' has no token"));
    }

    [Fact]
    public void Clip_tokenizer_encodes_known_words_as_single_tokens()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Path, TinyModelVariant.DiffusersScript);
        var vocabulary = Vocabulary(temp.Path);

        var tokenizer = ClipTokenizer.FromFolder(Path.Combine(temp.Path, "tokenizer"));
        var ids = tokenizer.Encode("A photo of a  CAT");

        Assert.Equal(77, ids.Length);
        int[] expected =
        [
            vocabulary["<|startoftext|>"], vocabulary["a</w>"], vocabulary["photo</w>"], vocabulary["of</w>"],
            vocabulary["a</w>"], vocabulary["cat</w>"], vocabulary["<|endoftext|>"],
        ];
        Assert.Equal(expected, ids[..7]);
        Assert.All(ids[7..], id => Assert.Equal(vocabulary["<|endoftext|>"], id));
    }

    [Fact]
    public void Unknown_words_fall_back_to_byte_symbols()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Path, TinyModelVariant.DiffusersScript);
        var vocabulary = Vocabulary(temp.Path);

        var tokens = ClipTokenizer.FromFolder(Path.Combine(temp.Path, "tokenizer")).Tokenize("zq");

        Assert.Equal([vocabulary["z"], vocabulary["q</w>"]], tokens.Select(t => t.Id));
    }

    [Fact]
    public void Sd2_tokenizer_pads_with_exclamation_mark_id_zero()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Path, TinyModelVariant.Sd2);

        var tokenizer = ClipTokenizer.FromFolder(Path.Combine(temp.Path, "tokenizer"));
        var ids = tokenizer.Encode("a cat");

        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(tokenizer.EosId, ids[3]);
        Assert.All(ids[4..], id => Assert.Equal(0, id));
    }
}
