using WebStudio.Generation.Text;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.Trainer.Tokenizer;

/// <summary>The caption vocabulary's tokenizer: the core's <see cref="ClipTokenizer"/> over the generated files,
/// so training encodes prompts exactly as the app does (BOS, ids, EOS, padded with EOS to 77).</summary>
internal sealed class ShapesTokenizer
{
    public const int MaxLength = 77;

    private readonly ClipTokenizer _clip;

    public ShapesTokenizer(ShapesTokenizerFiles files)
    {
        _clip = files.CreateTokenizer();
        VocabularySize = files.Vocabulary.Count;
    }

    /// <summary>The tokenizer of the shipped model: the vocabulary built from ShapesWorld's caption grammar.</summary>
    public static ShapesTokenizer ForCaptionGrammar() => new(ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary));

    public int VocabularySize { get; }

    public int EndId => _clip.EosId;

    public int[] Encode(string text) => _clip.Encode(text);
}
