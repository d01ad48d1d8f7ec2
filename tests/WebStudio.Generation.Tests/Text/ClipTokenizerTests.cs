using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

public sealed class ClipTokenizerTests
{
    private static ClipTokenizer Clip => SharedClipData.Tokenizer;

    [Fact]
    public void Special_ids_come_from_the_vocabulary()
    {
        Assert.Equal(49406, Clip.BosId);
        Assert.Equal(49407, Clip.EosId);
        Assert.Equal(Clip.EosId, Clip.PadId);
        Assert.Equal(77, Clip.MaxLength);
        Assert.Equal(75, Clip.TextCapacity);
    }

    [Fact]
    public void Tokens_carry_their_vocabulary_text_with_word_end_suffix()
    {
        var tokens = Clip.Tokenize("A photo of a CAT");
        Assert.Equal(["a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>"], tokens.Select(t => t.Text));
        Assert.Equal(Clip.EncodeWithoutSpecials("a photo of a cat"), tokens.Select(t => t.Id));
    }

    [Fact]
    public void Unknown_words_fall_back_to_smaller_pieces_that_spell_the_word()
    {
        const string word = "qzxvkwjplmbr";
        var tokens = Clip.Tokenize(word);
        Assert.True(tokens.Count > 1, "a nonsense word should not be a single vocabulary entry");
        Assert.Equal(word + "</w>", string.Concat(tokens.Select(t => t.Text)));
        Assert.EndsWith("</w>", tokens[^1].Text);
        Assert.All(tokens.SkipLast(1), t => Assert.DoesNotContain("</w>", t.Text));
    }

    [Fact]
    public void Characters_outside_the_vocabulary_become_utf8_byte_symbols()
    {
        // U+1F984 is four UTF-8 bytes; whatever merges apply, the pieces must still spell those bytes.
        var tokens = Clip.Tokenize("\U0001F984");
        Assert.NotEmpty(tokens);
        Assert.Equal("ðŁ¦Ħ</w>", string.Concat(tokens.Select(t => t.Text)));
    }

    [Fact]
    public void Special_token_text_maps_to_its_id()
    {
        Assert.Equal([Clip.BosId, 2368, Clip.EosId], Clip.EncodeWithoutSpecials("<|startoftext|>cat <|endoftext|>"));
    }

    [Fact]
    public void Encode_frames_bos_text_eos_then_padding()
    {
        var ids = Clip.Encode("a cat");
        Assert.Equal(77, ids.Length);
        Assert.Equal([Clip.BosId, 320, 2368, Clip.EosId], ids[..4]);
        Assert.All(ids[4..], id => Assert.Equal(Clip.PadId, id));
    }

    [Fact]
    public void Long_text_is_cut_to_bos_75_tokens_eos()
    {
        var text = string.Join(' ', Enumerable.Repeat("cat", 100));
        var raw = Clip.EncodeWithoutSpecials(text);
        Assert.Equal(100, raw.Count);

        var ids = Clip.Encode(text);
        Assert.Equal(77, ids.Length);
        Assert.Equal(Clip.BosId, ids[0]);
        Assert.All(ids[1..76], id => Assert.Equal(2368, id));
        Assert.Equal(Clip.EosId, ids[76]);
    }

    [Fact]
    public void Concurrent_encoding_matches_sequential_encoding()
    {
        // The web app shares one tokenizer between requests; BPE's word cache is written while encoding.
        using var folder = TokenizerFolder.WithClipVocab();
        var fresh = ClipTokenizer.FromFolder(folder.Path);
        var random = new Random(11);
        var prompts = Enumerable.Range(0, 200)
            .Select(_ => string.Join(' ', Enumerable.Range(0, 6).Select(_ => new string(Enumerable.Range(0, random.Next(3, 12)).Select(_ => (char)('a' + random.Next(26))).ToArray()))))
            .ToArray();

        var parallel = new int[prompts.Length][];
        Parallel.For(0, prompts.Length, i => parallel[i] = fresh.Encode(prompts[i]));

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(Clip.Encode(prompts[i]), parallel[i]);
        }
    }

    [Fact]
    public void Sd2_config_pads_with_the_exclamation_mark_id()
    {
        using var folder = TokenizerFolder.WithClipVocab();
        folder.Write("tokenizer_config.json", """{ "pad_token": "!", "model_max_length": 77 }""");
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);

        Assert.Equal(0, tokenizer.PadId);
        var ids = tokenizer.Encode("a cat");
        Assert.Equal([tokenizer.BosId, 320, 2368, tokenizer.EosId], ids[..4]);
        Assert.All(ids[4..], id => Assert.Equal(0, id));
    }

    [Fact]
    public void Pad_token_may_be_an_added_token_object_in_special_tokens_map()
    {
        using var folder = TokenizerFolder.WithClipVocab();
        folder.Write("special_tokens_map.json", """{ "pad_token": { "content": "!", "lstrip": false } }""");
        Assert.Equal(0, ClipTokenizer.FromFolder(folder.Path).PadId);
    }

    [Fact]
    public void Tokenizer_config_pad_token_wins_over_special_tokens_map()
    {
        using var folder = TokenizerFolder.WithClipVocab();
        folder.Write("tokenizer_config.json", """{ "pad_token": "<|endoftext|>" }""");
        folder.Write("special_tokens_map.json", """{ "pad_token": "!" }""");
        Assert.Equal(49407, ClipTokenizer.FromFolder(folder.Path).PadId);
    }

    [Fact]
    public void Model_max_length_sets_the_frame_and_the_unset_sentinel_means_77()
    {
        using var folder = TokenizerFolder.WithClipVocab();
        folder.Write("tokenizer_config.json", """{ "model_max_length": 10 }""");
        var shortTokenizer = ClipTokenizer.FromFolder(folder.Path);
        Assert.Equal(10, shortTokenizer.MaxLength);
        Assert.Equal(10, shortTokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 20))).Length);

        folder.Write("tokenizer_config.json", """{ "model_max_length": 1000000000000000019884624838656 }""");
        Assert.Equal(77, ClipTokenizer.FromFolder(folder.Path).MaxLength);
    }

    [Theory]
    [InlineData("vocab.json")]
    [InlineData("merges.txt")]
    public void Missing_file_is_named(string file)
    {
        using var folder = TokenizerFolder.WithClipVocab();
        File.Delete(folder.File(file));
        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromFolder(folder.Path));
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "webstudio-no-such-tokenizer-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => ClipTokenizer.FromFolder(path));
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("vocab.json", "[1, 2]", "vocab.json")]
    [InlineData("vocab.json", "{}", "vocab.json")]
    [InlineData("vocab.json", """{ "a": 0, "b": 1 }""", "<|startoftext|>")]
    [InlineData("merges.txt", "#version: 0.2\ni n t\n", "merges.txt line 2")]
    [InlineData("tokenizer_config.json", "{ not json", "tokenizer_config.json")]
    [InlineData("tokenizer_config.json", """{ "pad_token": 5 }""", "pad_token")]
    [InlineData("tokenizer_config.json", """{ "pad_token": "<pad>" }""", "<pad>")]
    [InlineData("tokenizer_config.json", """{ "model_max_length": "long" }""", "model_max_length")]
    [InlineData("special_tokens_map.json", "[]", "special_tokens_map.json")]
    public void Malformed_file_is_named(string file, string content, string expectedInMessage)
    {
        using var folder = TokenizerFolder.WithClipVocab();
        folder.Write(file, content);
        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromFolder(folder.Path));
        Assert.Contains(expectedInMessage, ex.Message);
    }
}
