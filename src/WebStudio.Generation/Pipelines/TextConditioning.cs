using WebStudio.Generation.Models;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Pipelines;

/// <summary>Text states for one prompt: [tokens, width] after A1111 weighting.</summary>
internal sealed record PromptEmbedding(float[] Hidden, int Tokens, int Width);

/// <summary>Turns prompts into weighted text-encoder states, batching the two prompts when the encoder allows it.</summary>
internal static class TextConditioning
{
    public static PromptEmbedding[] Encode(StableDiffusionModel model, IReadOnlyList<string> prompts, RunClock clock)
    {
        var encoder = model.TextEncoder;
        var weighted = prompts.Select(p => PromptWeighting.Tokenize(model.Tokenizer, p)).ToArray();
        var tokens = encoder.SequenceLength;
        var result = new PromptEmbedding[prompts.Count];

        if (encoder.HasDynamicBatch)
        {
            var ids = weighted.SelectMany(w => w.Ids).ToArray();
            var (hidden, width) = encoder.Encode(ids, prompts.Count, clock);
            for (var i = 0; i < prompts.Count; i++)
            {
                result[i] = Weighted(hidden.AsSpan(i * tokens * width, tokens * width).ToArray(), tokens, width, weighted[i].Weights);
            }
        }
        else
        {
            for (var i = 0; i < prompts.Count; i++)
            {
                var (hidden, width) = encoder.Encode(weighted[i].Ids, 1, clock);
                result[i] = Weighted(hidden, tokens, width, weighted[i].Weights);
            }
        }

        return result;
    }

    private static PromptEmbedding Weighted(float[] hidden, int tokens, int width, float[] weights)
    {
        PromptWeights.Apply(hidden, tokens, width, weights);
        return new PromptEmbedding(hidden, tokens, width);
    }
}
