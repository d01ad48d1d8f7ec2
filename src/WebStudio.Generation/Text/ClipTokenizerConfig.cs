using System.Text.Json;
using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.Generation.Text;

/// <summary>The optional settings in tokenizer/tokenizer_config.json and tokenizer/special_tokens_map.json:
/// the padding token (SD 1.x pads with "&lt;|endoftext|&gt;", SD 2.x with "!") and the sequence length.</summary>
internal sealed record ClipTokenizerConfig(string? PadToken, int MaxLength)
{
    public const string ConfigFile = "tokenizer_config.json";
    public const string SpecialTokensFile = "special_tokens_map.json";
    public const int DefaultMaxLength = 77;

    // transformers writes a huge sentinel (int(1e30)) for "no limit"; CLIP text encoders are 77 long then.
    private const double UnsetLengthSentinel = 1e6;

    public static ClipTokenizerConfig Read(string tokenizerDir)
    {
        var config = ReadFile(tokenizerDir, ConfigFile);
        var specialTokens = ReadFile(tokenizerDir, SpecialTokensFile);

        // tokenizer_config.json wins, as in transformers; special_tokens_map.json fills the gap.
        var pad = config?.PadToken?.Content ?? specialTokens?.PadToken?.Content;
        return new ClipTokenizerConfig(pad, CheckedMaxLength(config?.ModelMaxLength));
    }

    private static TokenizerConfigFile? ReadFile(string tokenizerDir, string file)
    {
        var path = Path.Combine(tokenizerDir, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return DiffusersJson.Parse<TokenizerConfigFile>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"tokenizer/{file} is not a valid tokenizer config (at {ex.Path ?? "$"}): {ex.Message}", ex);
        }
    }

    private static int CheckedMaxLength(double? length)
    {
        if (length is null)
        {
            return DefaultMaxLength;
        }

        if (length < 3 || length != Math.Floor(length.Value))
        {
            throw new InvalidDataException($"tokenizer/{ConfigFile}: \"model_max_length\" must be a whole number of at least 3, not {length}.");
        }

        return length >= UnsetLengthSentinel ? DefaultMaxLength : (int)length;
    }
}
