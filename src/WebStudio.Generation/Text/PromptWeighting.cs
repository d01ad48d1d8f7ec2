namespace WebStudio.Generation.Text;

/// <summary>Turns an A1111-style prompt into one 77-token window with per-token weights, the way A1111 does it:
/// each weighted run of text is tokenized on its own and every token carries the run's weight.</summary>
/// <remarks>Only one window is produced: text beyond <see cref="ClipTokenizer.TextCapacity"/> tokens is cut
/// (<see cref="WeightedPrompt.Truncated"/> is set). "BREAK", which in A1111 starts a new 75-token chunk, has no
/// next chunk to move to here, so it only separates text and is not itself fed to the encoder.</remarks>
public static class PromptWeighting
{
    public static WeightedPrompt Tokenize(ClipTokenizer tokenizer, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        var tokenWeights = new List<float>();
        foreach (var segment in PromptAttentionParser.Parse(prompt))
        {
            if (segment.IsBreak)
            {
                continue;
            }

            var segmentIds = tokenizer.EncodeWithoutSpecials(segment.Text);
            ids.AddRange(segmentIds);
            tokenWeights.AddRange(Enumerable.Repeat((float)segment.Weight, segmentIds.Count));
        }

        var weights = new float[tokenizer.MaxLength];
        Array.Fill(weights, 1f);
        var kept = Math.Min(ids.Count, tokenizer.TextCapacity);
        tokenWeights.CopyTo(0, weights, 1, kept);
        return new WeightedPrompt(tokenizer.Frame(ids), weights, ids.Count > kept);
    }
}
