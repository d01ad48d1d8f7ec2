namespace WebStudio.Trainer.Tokenizer;

/// <summary>GPT-2/CLIP's byte → printable character table (bytes_to_unicode), in CLIP's vocabulary order.</summary>
internal static class ClipByteAlphabet
{
    /// <summary>(byte, character) pairs: printable bytes first, then the rest mapped to 256+n.</summary>
    public static IReadOnlyList<(byte Byte, char Char)> Table { get; } = Build();

    public static IReadOnlyDictionary<byte, char> ByByte { get; } = Table.ToDictionary(e => e.Byte, e => e.Char);

    private static List<(byte, char)> Build()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1))
            .ToList();
        var table = printable.Select(b => ((byte)b, (char)b)).ToList();
        var extra = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                table.Add(((byte)b, (char)(256 + extra++)));
            }
        }

        return table;
    }
}
