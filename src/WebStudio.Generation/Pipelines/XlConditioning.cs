using WebStudio.Generation.Models;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// What SDXL's UNet takes beside the text states, as diffusers' StableDiffusionXL pipelines compute it:
/// add_time_ids = original size + crop top-left + target size, (height, width) pairs, with no crop, the image's own
/// size for both (the refiner: original size + crop + aesthetic score 6.0, the negative's 2.5); and, where
/// force_zeros_for_empty_prompt is set, zeros for both the states and the pooled embeds of an empty negative prompt.
/// </summary>
public static class XlConditioning
{
    /// <summary>diffusers' StableDiffusionXLImg2ImgPipeline defaults.</summary>
    public const float AestheticScore = 6f, NegativeAestheticScore = 2.5f;

    /// <summary>The time ids of one row: 6 values, or the refiner's 5 (<see cref="ModelConfig.RequiresAestheticsScore"/>).</summary>
    public static float[] TimeIds(ModelConfig config, int width, int height, bool negative) =>
        config.RequiresAestheticsScore
            ? [height, width, 0f, 0f, negative ? NegativeAestheticScore : AestheticScore]
            : [height, width, 0f, 0f, height, width];

    /// <summary>Whether <paramref name="negativePrompt"/> becomes zeros rather than encoded text: diffusers zeroes a
    /// negative prompt that was not given, which the studio's empty one is.</summary>
    public static bool ZeroesNegative(ModelConfig config, string negativePrompt) =>
        config.ForceZerosForEmptyPrompt && negativePrompt.Length == 0;

    /// <summary>A prompt's states with the time ids of the conditional rows.</summary>
    internal static PromptEmbedding Conditional(PromptEmbedding encoded, ModelConfig config, int width, int height) =>
        encoded with { TimeIds = TimeIds(config, width, height, negative: false) };

    /// <summary>A negative prompt's states with the unconditional rows' time ids; zeros where
    /// <see cref="ZeroesNegative"/> says (one 77-token window: zero states give the same attention at any length).</summary>
    internal static PromptEmbedding Unconditional(string negativePrompt, PromptEmbedding encoded, ModelConfig config, int width, int height)
    {
        var timeIds = TimeIds(config, width, height, negative: true);
        return ZeroesNegative(config, negativePrompt)
            ? new PromptEmbedding(new float[encoded.Hidden.Length], encoded.Tokens, encoded.Width, new float[encoded.Pooled!.Length], timeIds)
            : encoded with { TimeIds = timeIds };
    }
}
