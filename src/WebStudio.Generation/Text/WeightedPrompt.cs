namespace WebStudio.Generation.Text;

/// <summary>One window of the text encoder: BOS, up to 75 text ids, EOS and padding, with one attention weight per
/// id (1 for BOS, EOS and padding).</summary>
public sealed record PromptChunk(int[] Ids, float[] Weights);

/// <summary>A prompt as the text encoder takes it: one <see cref="PromptChunk"/> per window of text (A1111's
/// 75-token chunks), <see cref="TextTokens"/> text ids in all. <see cref="Truncated"/> tells that the prompt needed
/// more than the allowed number of windows and its tail was dropped.</summary>
public sealed record WeightedPrompt(IReadOnlyList<PromptChunk> Chunks, int TextTokens, bool Truncated)
{
    /// <summary>The first window (a prompt always has one, an empty prompt too).</summary>
    public PromptChunk First => Chunks[0];
}
