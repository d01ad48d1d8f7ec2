using WebStudio.Generation.Models;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Pipelines;

/// <summary>Text states for one prompt: [tokens, width] after A1111 weighting; a long prompt's windows follow one
/// another (77 × windows tokens), as A1111 and ComfyUI feed them to the UNet.</summary>
internal sealed record PromptEmbedding(float[] Hidden, int Tokens, int Width);

/// <summary>Turns prompts into weighted text-encoder states: every window of every prompt in one encoder call when
/// the encoder allows it, each window weighted on its own (A1111 restores the mean per window).</summary>
internal static class TextConditioning
{
    public static PromptEmbedding[] Encode(StableDiffusionModel model, IReadOnlyList<string> prompts, RunClock clock)
    {
        var encoder = model.TextEncoder;
        // A UNet exported with a fixed 77-token text input takes the first window only (diffusers truncates the same way).
        var maxChunks = model.UNet.FixedTextTokens is { } fixedTokens ? Math.Max(1, fixedTokens / encoder.SequenceLength) : PromptWeighting.DefaultMaxChunks;
        var weighted = prompts.Select(p => PromptWeighting.Tokenize(model.Tokenizer, p, maxChunks)).ToArray();
        var chunks = weighted.SelectMany(w => w.Chunks).ToArray();
        var tokens = encoder.SequenceLength;

        var hidden = new float[chunks.Length][];
        var width = 0;
        if (encoder.HasDynamicBatch)
        {
            var (all, w) = encoder.Encode(chunks.SelectMany(c => c.Ids).ToArray(), chunks.Length, clock);
            width = w;
            for (var c = 0; c < chunks.Length; c++)
            {
                hidden[c] = all.AsSpan(c * tokens * width, tokens * width).ToArray();
            }
        }
        else
        {
            for (var c = 0; c < chunks.Length; c++)
            {
                (hidden[c], width) = encoder.Encode(chunks[c].Ids, 1, clock);
            }
        }

        var result = new PromptEmbedding[prompts.Count];
        var next = 0;
        for (var i = 0; i < prompts.Count; i++)
        {
            var count = weighted[i].Chunks.Count;
            var joined = new float[count * tokens * width];
            for (var c = 0; c < count; c++, next++)
            {
                PromptWeights.Apply(hidden[next], tokens, width, chunks[next].Weights);
                hidden[next].CopyTo(joined, c * tokens * width);
            }

            result[i] = new PromptEmbedding(joined, count * tokens, width);
        }

        return result;
    }
}
