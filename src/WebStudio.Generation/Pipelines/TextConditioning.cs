using WebStudio.Generation.Models;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Pipelines;

/// <summary>Text states for one prompt: [tokens, width] after A1111 weighting; a long prompt's windows follow one
/// another (77 × windows tokens), as A1111 and ComfyUI feed them to the UNet. SDXL adds the pooled text embeds and
/// the time ids the UNet takes beside them (<see cref="XlConditioning"/>).</summary>
internal sealed record PromptEmbedding(float[] Hidden, int Tokens, int Width, float[]? Pooled = null, float[]? TimeIds = null)
{
    /// <summary>SDXL's added conditions of one row, or null for SD.</summary>
    public AddedConditions? Added => Pooled is null ? null : new AddedConditions(Pooled, TimeIds ?? throw new InvalidOperationException("SDXL text states without time ids."));
}

/// <summary>Turns prompts into weighted text-encoder states: every window of every prompt in one encoder call when
/// the encoder allows it, each window weighted on its own (A1111 restores the mean per window). SDXL runs this for
/// each of its encoders, takes their penultimate layers and joins them on the feature axis (diffusers' encode_prompt),
/// with the pooled embeds of the last encoder's first window (A1111's reading of a long prompt).</summary>
internal static class TextConditioning
{
    public static PromptEmbedding[] Encode(StableDiffusionModel model, IReadOnlyList<string> prompts, RunClock clock)
    {
        // A UNet exported with a fixed 77-token text input takes the first window only (diffusers truncates the same way).
        var sequence = model.TextEncoder.SequenceLength;
        var maxChunks = model.UNet.FixedTextTokens is { } fixedTokens ? Math.Max(1, fixedTokens / sequence) : PromptWeighting.DefaultMaxChunks;
        if (!model.Config.IsXl)
        {
            return EncodeWith(model.Tokenizer, model.TextEncoder, prompts, maxChunks, penultimate: false, clock)
                .Select(e => new PromptEmbedding(e.Hidden, e.Tokens, e.Width))
                .ToArray();
        }

        var perEncoder = model.TextEncoders.Select(p => EncodeWith(p.Tokenizer, p.Encoder, prompts, maxChunks, penultimate: true, clock)).ToArray();
        return prompts.Select((prompt, i) => Joined(perEncoder.Select(e => e[i]).ToArray(), prompt)).ToArray();
    }

    /// <summary>One prompt's states from each encoder joined per token: [tokens, width₁ + width₂].</summary>
    private static PromptEmbedding Joined(EncodedPrompt[] parts, string prompt)
    {
        var tokens = parts[0].Tokens;
        if (parts.Any(p => p.Tokens != tokens))
        {
            throw new InvalidOperationException(
                $"The text encoders' tokenizers split the prompt into different numbers of 75-token windows (tokens: {string.Join(", ", parts.Select(p => p.Tokens))}): '{prompt}'.");
        }

        var width = parts.Sum(p => p.Width);
        var joined = new float[tokens * width];
        var offset = 0;
        foreach (var part in parts)
        {
            for (var t = 0; t < tokens; t++)
            {
                part.Hidden.AsSpan(t * part.Width, part.Width).CopyTo(joined.AsSpan(t * width + offset));
            }

            offset += part.Width;
        }

        return new PromptEmbedding(joined, tokens, width, parts[^1].Pooled);
    }

    /// <summary>One encoder's weighted states per prompt, and the pooled output of its first window (SDXL).</summary>
    private sealed record EncodedPrompt(float[] Hidden, int Tokens, int Width, float[]? Pooled);

    private static EncodedPrompt[] EncodeWith(
        ClipTokenizer tokenizer, TextEncoder encoder, IReadOnlyList<string> prompts, int maxChunks, bool penultimate, RunClock clock)
    {
        var weighted = prompts.Select(p => PromptWeighting.Tokenize(tokenizer, p, maxChunks)).ToArray();
        var chunks = weighted.SelectMany(w => w.Chunks).ToArray();
        var tokens = encoder.SequenceLength;

        var hidden = new float[chunks.Length][];
        var pooled = new float[]?[chunks.Length];
        var width = 0;
        if (encoder.HasDynamicBatch)
        {
            var (all, w, allPooled) = Run(encoder, chunks.SelectMany(c => c.Ids).ToArray(), chunks.Length, penultimate, clock);
            width = w;
            for (var c = 0; c < chunks.Length; c++)
            {
                hidden[c] = all.AsSpan(c * tokens * width, tokens * width).ToArray();
                if (allPooled is not null)
                {
                    var pooledWidth = allPooled.Length / chunks.Length;
                    pooled[c] = allPooled.AsSpan(c * pooledWidth, pooledWidth).ToArray();
                }
            }
        }
        else
        {
            for (var c = 0; c < chunks.Length; c++)
            {
                (hidden[c], width, pooled[c]) = Run(encoder, chunks[c].Ids, 1, penultimate, clock);
            }
        }

        var result = new EncodedPrompt[prompts.Count];
        var next = 0;
        for (var i = 0; i < prompts.Count; i++)
        {
            var count = weighted[i].Chunks.Count;
            var first = next;
            var joined = new float[count * tokens * width];
            for (var c = 0; c < count; c++, next++)
            {
                PromptWeights.Apply(hidden[next], tokens, width, chunks[next].Weights);
                hidden[next].CopyTo(joined, c * tokens * width);
            }

            result[i] = new EncodedPrompt(joined, count * tokens, width, pooled[first]);
        }

        return result;
    }

    private static (float[] Hidden, int Width, float[]? Pooled) Run(TextEncoder encoder, int[] ids, int batch, bool penultimate, RunClock clock)
    {
        if (penultimate)
        {
            return encoder.EncodePenultimate(ids, batch, clock);
        }

        var (hidden, width) = encoder.Encode(ids, batch, clock);
        return (hidden, width, null);
    }
}
