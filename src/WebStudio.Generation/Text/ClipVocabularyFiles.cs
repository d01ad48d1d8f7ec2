using System.Text.Json;

namespace WebStudio.Generation.Text;

/// <summary>Reads tokenizer/vocab.json and tokenizer/merges.txt with errors that name the file at fault.</summary>
internal static class ClipVocabularyFiles
{
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";

    public static Dictionary<string, int> ReadVocabulary(string tokenizerDir)
    {
        var path = Require(tokenizerDir, VocabFile);
        Dictionary<string, int>? vocab;
        try
        {
            using var stream = File.OpenRead(path);
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"tokenizer/{VocabFile} is not a JSON object of token → id: {ex.Message}", ex);
        }

        if (vocab is null || vocab.Count == 0)
        {
            throw new InvalidDataException($"tokenizer/{VocabFile} holds no tokens.");
        }

        return vocab;
    }

    /// <summary>Merge rules "left right", in rank order; the "#version" header and blank lines are skipped.</summary>
    public static List<string> ReadMerges(string tokenizerDir)
    {
        var path = Require(tokenizerDir, MergesFile);
        var merges = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new InvalidDataException($"tokenizer/{MergesFile} line {lineNumber} is not a pair \"left right\": '{line}'.");
            }

            merges.Add(line);
        }

        return merges;
    }

    private static string Require(string tokenizerDir, string file)
    {
        var path = Path.Combine(tokenizerDir, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The tokenizer folder '{tokenizerDir}' has no {file}.", path);
        }

        return path;
    }
}
