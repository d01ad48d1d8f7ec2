namespace WebStudio.Generation.Text;

/// <summary>
/// Turns an A1111-style prompt into text-encoder windows with per-token weights, the way A1111 does it: each weighted
/// run of text is tokenized on its own and every token carries the run's weight; the tokens fill windows of
/// <see cref="ClipTokenizer.TextCapacity"/> (75); "BREAK" closes the current window; and when a window fills up,
/// the words after its last comma (if that comma is among its last <see cref="CommaBacktrack"/> tokens) move on to the
/// next window, so a phrase is not split between two windows.
/// </summary>
public static class PromptWeighting
{
    /// <summary>A1111's comma_padding_backtrack default.</summary>
    public const int CommaBacktrack = 20;

    /// <summary>Most windows a prompt may use (600 text tokens): more text than that is cut and flagged.</summary>
    public const int DefaultMaxChunks = 8;

    public static WeightedPrompt Tokenize(ClipTokenizer tokenizer, string prompt, int maxChunks = DefaultMaxChunks)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChunks);
        var comma = tokenizer.EncodeWithoutSpecials(",") is [var id] ? id : (int?)null;
        var chunks = new List<(List<int> Ids, List<float> Weights)>();
        var ids = new List<int>();
        var weights = new List<float>();
        var lastComma = -1;
        var textTokens = 0;

        void NextChunk()
        {
            chunks.Add((ids, weights));
            ids = [];
            weights = [];
            lastComma = -1;
        }

        foreach (var segment in PromptAttentionParser.Parse(prompt))
        {
            if (segment.IsBreak)
            {
                NextChunk();
                continue;
            }

            foreach (var token in tokenizer.EncodeWithoutSpecials(segment.Text))
            {
                if (token == comma)
                {
                    lastComma = ids.Count;
                }
                else if (ids.Count == tokenizer.TextCapacity && lastComma >= 0 && ids.Count - lastComma <= CommaBacktrack)
                {
                    var moved = ids.Count - (lastComma + 1);
                    var movedIds = ids.GetRange(lastComma + 1, moved);
                    var movedWeights = weights.GetRange(lastComma + 1, moved);
                    ids.RemoveRange(lastComma + 1, moved);
                    weights.RemoveRange(lastComma + 1, moved);
                    NextChunk();
                    ids.AddRange(movedIds);
                    weights.AddRange(movedWeights);
                }

                if (ids.Count == tokenizer.TextCapacity)
                {
                    NextChunk();
                }

                ids.Add(token);
                weights.Add((float)segment.Weight);
                textTokens++;
            }
        }

        if (ids.Count > 0 || chunks.Count == 0)
        {
            NextChunk();
        }

        var truncated = chunks.Count > maxChunks;
        var framed = chunks.Take(maxChunks).Select(c => Frame(tokenizer, c.Ids, c.Weights)).ToArray();
        return new WeightedPrompt(framed, textTokens, truncated);
    }

    private static PromptChunk Frame(ClipTokenizer tokenizer, List<int> ids, List<float> tokenWeights)
    {
        var weights = new float[tokenizer.MaxLength];
        Array.Fill(weights, 1f);
        tokenWeights.CopyTo(weights, 1);
        return new PromptChunk(tokenizer.Frame(ids), weights);
    }
}
