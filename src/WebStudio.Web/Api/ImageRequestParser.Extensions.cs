using System.Globalization;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>
/// WebStudio's documented extension fields of generations, edits and variations: <c>seed</c>, <c>negative_prompt</c>,
/// <c>steps</c>, <c>guidance_scale</c>, <c>guidance_rescale</c> and <c>sampler</c>, the settings a script needs to
/// reproduce an image, and
/// <c>image_guidance_scale</c> and <c>auto_mask</c> for an instruction model's edits (with <c>guidance_scale</c> as its
/// text guidance; <c>auto_mask</c> a threshold between 0 and 1 keeps what the instruction does not touch, 0 turns it off), and
/// <c>refiner</c> with <c>refiner_switch_at</c> for a generation finished by a refiner model (A1111's Refiner), and
/// <c>variation_strength</c> with <c>variation_seed</c> for a generation a little different from its seed's (A1111's).
/// OpenAI's SDKs send them as extra body fields; each is checked here with a 400 that names it.
/// </summary>
public static partial class ImageRequestParser
{
    /// <summary>The largest seed accepted: 2^53 − 1, the largest integer a JSON client holds exactly (JavaScript's
    /// numbers), less room for the consecutive seeds of n images.</summary>
    public const long MaxSeed = SeedSource.MaxSeed - MaxN;

    // A property, not a field: the field lists of the other part of this class are built from it, and the order in
    // which static fields of two files start is not defined.
    private static string[] ExtensionFields => ["seed", "negative_prompt", "steps", "guidance_scale", "guidance_rescale", "image_guidance_scale", "auto_mask", "sampler", "refiner", "refiner_switch_at", "variation_seed", "variation_strength"];

    private static ImageRequest Extensions(IFields fields, ImageRequest request)
    {
        var seed = fields.Long("seed");
        if (seed is not null and not -1 and (< 0 or > MaxSeed))
        {
            throw ApiException.BadField("seed", $"'seed' must be between 0 and {MaxSeed}, or -1 for a random seed; {seed} was given.", "integer_out_of_range");
        }

        var negative = fields.String("negative_prompt");
        if (negative is { Length: > GenerationRequest.MaxPromptLength })
        {
            throw ApiException.BadField("negative_prompt",
                $"'negative_prompt' is {negative.Length:N0} characters; at most {GenerationRequest.MaxPromptLength:N0} are accepted.", "string_above_max_length");
        }

        var steps = fields.Int("steps");
        if (steps is < GenerationRequest.MinSteps or > GenerationRequest.MaxSteps)
        {
            throw ApiException.BadField("steps",
                $"'steps' must be between {GenerationRequest.MinSteps} and {GenerationRequest.MaxSteps}; {steps} was given.", "integer_out_of_range");
        }

        var guidance = Guidance(fields, "guidance_scale");
        var imageGuidance = Guidance(fields, "image_guidance_scale");
        var rescale = fields.Number("guidance_rescale");
        if (rescale is { } phi && !(phi is >= 0 and <= 1))
        {
            throw ApiException.BadField("guidance_rescale", string.Create(CultureInfo.InvariantCulture,
                $"'guidance_rescale' must be between 0 (off) and 1, such as 0.7; {phi} was given."), "number_out_of_range");
        }

        var autoMask = fields.Number("auto_mask");
        if (autoMask is { } threshold && !(threshold is >= 0 and < 1))
        {
            throw ApiException.BadField("auto_mask", string.Create(CultureInfo.InvariantCulture,
                $"'auto_mask' must be a share of the strongest change from 0 (off) up to 1, such as {InstructionEdit.DefaultAutoMaskThreshold}; {threshold} was given."), "number_out_of_range");
        }

        var sampler = OneOf(fields, "sampler", SchedulerNames.All);

        // A refiner model is checked against the installed models at submission (400 naming "refiner").
        var refiner = fields.String("refiner");
        var switchAt = fields.Number("refiner_switch_at");
        if (switchAt is { } at && GenerationRequestValidator.RefinerSwitchProblem((float)at) is not null)
        {
            throw ApiException.BadField("refiner_switch_at", string.Create(CultureInfo.InvariantCulture,
                $"'refiner_switch_at' must be a fraction of the steps between 0 and 1, such as 0.8; {at} was given."), "number_out_of_range");
        }

        var variationSeed = fields.Long("variation_seed");
        if (variationSeed is not null and not -1 and (< 0 or > MaxSeed))
        {
            throw ApiException.BadField("variation_seed", $"'variation_seed' must be between 0 and {MaxSeed}, or -1 for a random one; {variationSeed} was given.", "integer_out_of_range");
        }

        var variationStrength = fields.Number("variation_strength");
        if (variationStrength is { } strength && !(strength is >= 0 and <= 1))
        {
            throw ApiException.BadField("variation_strength", string.Create(CultureInfo.InvariantCulture,
                $"'variation_strength' must be between 0 (none) and 1, such as 0.25; {strength} was given."), "number_out_of_range");
        }

        return request with
        {
            Seed = seed is -1 ? null : seed,
            VariationSeed = variationSeed is -1 ? null : variationSeed,
            VariationStrength = variationStrength is { } share ? (float)share : null,
            NegativePrompt = negative,
            Steps = steps,
            GuidanceScale = guidance is { } value ? (float)value : null,
            GuidanceRescale = rescale is { } rescaled ? (float)rescaled : null,
            ImageGuidanceScale = imageGuidance is { } image ? (float)image : null,
            AutoMask = autoMask is { } mask ? (float)mask : null,
            Sampler = sampler,
            Refiner = string.IsNullOrEmpty(refiner) ? null : refiner,
            RefinerSwitchAt = switchAt is { } fraction ? (float)fraction : null,
        };
    }

    private static double? Guidance(IFields fields, string name)
    {
        var guidance = fields.Number(name);
        if (guidance is { } g && (!double.IsFinite(g) || g < GenerationRequest.MinGuidance || g > GenerationRequest.MaxGuidance))
        {
            throw ApiException.BadField(name, string.Create(CultureInfo.InvariantCulture,
                $"'{name}' must be between {GenerationRequest.MinGuidance} and {GenerationRequest.MaxGuidance}; {g} was given."), "number_out_of_range");
        }

        return guidance;
    }
}
