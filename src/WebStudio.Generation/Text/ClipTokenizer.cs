using Microsoft.ML.Tokenizers;

namespace WebStudio.Generation.Text;

/// <summary>CLIP's byte-level BPE tokenizer (Stable Diffusion's tokenizer/ folder) on top of
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>: CLIP cleanup and word splitting, "&lt;/w&gt;" word ends,
/// and the fixed-length BOS … EOS pad … sequence the text encoder takes.</summary>
public sealed class ClipTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    public const string EndOfWordSuffix = "</w>";

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int bosId, int eosId, int padId, int maxLength)
    {
        _bpe = bpe;
        BosId = bosId;
        EosId = eosId;
        PadId = padId;
        MaxLength = maxLength;
    }

    public int BosId { get; }

    public int EosId { get; }

    /// <summary>EOS for SD 1.x, the id of "!" (0) for SD 2.x, as tokenizer_config.json's pad_token says.</summary>
    public int PadId { get; }

    /// <summary>Length of <see cref="Encode"/>'s output (77 for every SD text encoder).</summary>
    public int MaxLength { get; }

    /// <summary>How many text tokens fit between BOS and EOS.</summary>
    public int TextCapacity => MaxLength - 2;

    /// <summary>Loads vocab.json, merges.txt and (optional) tokenizer_config.json / special_tokens_map.json.</summary>
    public static ClipTokenizer FromFolder(string tokenizerDir)
    {
        if (!Directory.Exists(tokenizerDir))
        {
            throw new DirectoryNotFoundException($"The tokenizer folder '{tokenizerDir}' does not exist.");
        }

        var vocab = ClipVocabularyFiles.ReadVocabulary(tokenizerDir);
        var merges = ClipVocabularyFiles.ReadMerges(tokenizerDir);
        var config = ClipTokenizerConfig.Read(tokenizerDir);

        return Create(vocab, merges, config.PadToken, config.MaxLength, ClipTokenizerConfig.ConfigFile + " pad_token");
    }

    /// <summary>A tokenizer over an in-memory vocabulary (token → id) and merge rules ("left right", in rank order),
    /// as a BPE vocabulary is being built; <paramref name="padToken"/> null pads with EOS.</summary>
    public static ClipTokenizer Create(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        string? padToken = null, int maxLength = ClipTokenizerConfig.DefaultMaxLength) =>
        Create(vocabulary, merges, padToken, maxLength, "pad_token");

    /// <summary>CLIP's cleanup and word split of <paramref name="text"/>: the pieces BPE then works on, each alone.</summary>
    public static IEnumerable<string> Words(string text) => ClipPreTokenizer.Split(ClipNormalizer.Instance.Normalize(text));

    private static ClipTokenizer Create(IReadOnlyDictionary<string, int> vocab, IEnumerable<string> merges,
        string? padToken, int maxLength, string padSource)
    {
        var bosId = RequireToken(vocab, StartOfText, ClipVocabularyFiles.VocabFile);
        var eosId = RequireToken(vocab, EndOfText, ClipVocabularyFiles.VocabFile);
        var padId = padToken is null ? eosId : RequireToken(vocab, padToken, padSource);

        var specials = new Dictionary<string, int> { [StartOfText] = bosId, [EndOfText] = eosId };
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            SpecialTokens = specials,
            Normalizer = ClipNormalizer.Instance,
            PreTokenizer = ClipPreTokenizer.Create(specials),
            EndOfWordSuffix = EndOfWordSuffix,
            ByteLevel = true,
        };
        return new ClipTokenizer(BpeTokenizer.Create(options), bosId, eosId, padId, maxLength);
    }

    /// <summary>BOS, up to <see cref="TextCapacity"/> text tokens (longer text is cut), EOS, then padding to
    /// <see cref="MaxLength"/>.</summary>
    public int[] Encode(string text)
    {
        var ids = EncodeWithoutSpecials(text);
        return Frame(ids);
    }

    /// <summary>The raw BPE ids of <paramref name="text"/>: no BOS/EOS, no padding, no truncation.</summary>
    public IReadOnlyList<int> EncodeWithoutSpecials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(text);
    }

    /// <summary>The BPE tokens of <paramref name="text"/> with their vocabulary strings (no BOS/EOS, no padding).</summary>
    public IReadOnlyList<ClipToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToTokens(text, out _).Select(t => new ClipToken(t.Id, t.Value)).ToArray();
    }

    /// <summary>Puts text ids into the encoder's frame: BOS + first <see cref="TextCapacity"/> ids + EOS + padding.</summary>
    public int[] Frame(IReadOnlyList<int> textIds)
    {
        ArgumentNullException.ThrowIfNull(textIds);
        var frame = new int[MaxLength];
        Array.Fill(frame, PadId);
        frame[0] = BosId;
        var count = Math.Min(textIds.Count, TextCapacity);
        for (var i = 0; i < count; i++)
        {
            frame[i + 1] = textIds[i];
        }

        frame[count + 1] = EosId;
        return frame;
    }

    private static int RequireToken(IReadOnlyDictionary<string, int> vocab, string token, string source) =>
        vocab.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"tokenizer/{ClipVocabularyFiles.VocabFile} has no token '{token}' (needed by {source}).");
}
