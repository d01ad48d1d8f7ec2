using System.Text.Json;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Tests.Text;

/// <summary>Every prompt in ../shared/clip/token_ids_reference.json must give exactly the reference CLIP ids.</summary>
public sealed class ClipTokenizerReferenceTests
{
    private sealed record ReferenceEntry(string Text, int[] Ids);

    private static IReadOnlyList<ReferenceEntry> LoadEntries()
    {
        var path = Path.Combine(SharedClipData.Folder, "token_ids_reference.json");
        Assert.True(File.Exists(path), $"Missing reference file '{path}'.");
        var entries = JsonSerializer.Deserialize<ReferenceEntry[]>(File.ReadAllText(path),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        Assert.NotNull(entries);
        return entries;
    }

    [Fact]
    public void Reproduces_every_reference_id_list()
    {
        var tokenizer = SharedClipData.Tokenizer;
        var entries = LoadEntries();
        Assert.NotEmpty(entries);

        // Collect every mismatch so one run shows them all.
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var entry in entries)
        {
            var framed = tokenizer.Encode(entry.Text);
            var raw = tokenizer.EncodeWithoutSpecials(entry.Text);
            int[] withSpecials = [tokenizer.BosId, .. raw, tokenizer.EosId];
            if (!withSpecials.SequenceEqual(entry.Ids))
            {
                failures.Add($"{JsonSerializer.Serialize(entry.Text)}: expected [{string.Join(",", entry.Ids)}], got [{string.Join(",", withSpecials)}]");
            }
            else if (entry.Ids.Length <= tokenizer.MaxLength
                && (framed.Length != tokenizer.MaxLength
                    || !framed[..entry.Ids.Length].SequenceEqual(entry.Ids)
                    || framed[entry.Ids.Length..].Any(id => id != tokenizer.PadId)))
            {
                failures.Add($"{JsonSerializer.Serialize(entry.Text)}: Encode gave [{string.Join(",", framed)}], not the reference ids then padding");
            }

            checkedCount++;
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(entries.Count, checkedCount);
    }
}
