using System.Text.RegularExpressions;
using WebStudio.ShapesWorld.Captions;

namespace WebStudio.Trainer.Tokenizer;

/// <summary>Encodes prompts with the generated vocabulary exactly as a CLIP BPE tokenizer would
/// (lowercase, collapse whitespace, CLIP word split, BPE): BOS, ids, EOS, padded with EOS to 77.</summary>
internal sealed partial class ShapesTokenizer
{
    public const int MaxLength = 77;

    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly ShapesTokenizerFiles _files;

    public ShapesTokenizer(ShapesTokenizerFiles files)
    {
        _files = files;
        _ids = files.Vocabulary.Select((token, id) => (token, id)).ToDictionary(e => e.token, e => e.id);
        _ranks = files.Merges.Select((pair, rank) => (pair, rank)).ToDictionary(e => e.pair, e => e.rank);
    }

    /// <summary>The tokenizer of the shipped model: the vocabulary built from ShapesWorld's caption grammar.</summary>
    public static ShapesTokenizer ForCaptionGrammar() => new(ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary));

    public int VocabularySize => _files.Vocabulary.Count;

    public int EndId => _files.EndId;

    public int[] Encode(string text)
    {
        var cleaned = Whitespace().Replace(text, " ").Trim().ToLowerInvariant();
        var ids = ShapesTokenizerFiles.PreTokenize(cleaned)
            .SelectMany(word => ShapesTokenizerFiles.Bpe(word, _ranks))
            .Select(token => _ids[token])
            .Take(MaxLength - 2)
            .ToList();
        var frame = Enumerable.Repeat(_files.EndId, MaxLength).ToArray();
        frame[0] = _files.StartId;
        ids.CopyTo(frame, 1);
        return frame;
    }

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
