namespace WebStudio.Generation.Text;

/// <summary>Token ids for the text encoder and one attention weight per id (1 for BOS, EOS and padding).
/// <see cref="Truncated"/> tells that the prompt had more text tokens than fit and its tail was dropped.</summary>
public sealed record WeightedPrompt(int[] Ids, float[] Weights, bool Truncated);
