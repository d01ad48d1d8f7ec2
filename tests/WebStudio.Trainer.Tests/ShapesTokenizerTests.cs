using WebStudio.Generation.Text;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Tokenizer;

namespace WebStudio.Trainer.Tests;

/// <summary>The generated tokenizer folder loads in the app's CLIP tokenizer and gives the trainer's ids.</summary>
public sealed class ShapesTokenizerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("trainer-tokenizer-");
    private readonly ShapesTokenizerFiles _files = ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary);
    private readonly ClipTokenizer _clip;
    private readonly ShapesTokenizer _ours;

    public ShapesTokenizerTests()
    {
        _files.Write(_folder.FullName);
        _clip = ClipTokenizer.FromFolder(_folder.FullName);
        _ours = new ShapesTokenizer(_files);
    }

    [Fact]
    public void Every_caption_word_is_one_token()
    {
        foreach (var word in CaptionGrammar.Vocabulary)
        {
            var pieces = ClipTokenizer.Words(word).ToList();
            Assert.Equal(pieces.Count, _clip.EncodeWithoutSpecials(word).Count);
        }
    }

    [Fact]
    public void Training_captions_encode_like_the_app_tokenizer()
    {
        var generator = new SceneGenerator(99);
        for (var i = 0; i < 300; i++)
        {
            using var sample = generator.Next();
            Assert.Equal(_clip.Encode(sample.Caption), _ours.Encode(sample.Caption));
        }
    }

    [Theory]
    [InlineData("A  Zebra-striped HEXAGON!")]
    [InlineData("")]
    [InlineData("the letter Q, 42 times")]
    public void Unknown_words_fall_back_to_smaller_pieces(string prompt)
    {
        var ids = _clip.Encode(prompt);
        Assert.Equal(_clip.Encode(prompt), _ours.Encode(prompt));
        Assert.Equal(_files.StartId, ids[0]);
        Assert.Equal(77, ids.Length);
        Assert.Equal(_files.EndId, ids[^1]);
    }

    [Fact]
    public void Vocabulary_follows_CLIP_layout()
    {
        Assert.Equal(ShapesTokenizerFiles.StartOfText, _files.Vocabulary[^2]);
        Assert.Equal(ShapesTokenizerFiles.EndOfText, _files.Vocabulary[^1]);
        Assert.Equal("!", _files.Vocabulary[0]);
        Assert.Equal("!</w>", _files.Vocabulary[256]);
        Assert.Equal(256 + 256 + _files.Merges.Count + 2, _files.Vocabulary.Count);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
