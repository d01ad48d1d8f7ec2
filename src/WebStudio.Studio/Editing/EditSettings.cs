using System.Globalization;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Studio.Editing;

/// <summary>The sampler, steps and guidance of an edit: what the Edit page shows when a model is chosen, and what
/// POST /api/edits fills in for the fields a request leaves out.</summary>
public sealed record EditSettings(string Scheduler, int Steps, float Guidance)
{
    /// <summary>An instruction edit's image guidance: the model's, else InstructPix2Pix's default.</summary>
    public float ImageGuidance { get; init; } = InstructionEdit.DefaultImageGuidance;

    /// <summary>An instruction edit's automatic-mask threshold, or null for none: the model's (its card's), else off.</summary>
    public float? AutoMask { get; init; }

    /// <summary>The automatic mask an edit runs with: the threshold <paramref name="asked"/> for, none for 0, and the
    /// model's own (<paramref name="model"/>, null: none) where the request names none.</summary>
    public static float? AutoMaskOf(float? asked, float? model) => asked is { } threshold ? threshold == 0f ? null : threshold : model;

    private static readonly JobSpec.Img2Img Spec = new();

    /// <summary>A model's defaults (its card, or a Turbo folder's 1 step at guidance 0), else the operation's. The
    /// steps are raised so that the edit denoises at least once at <paramref name="denoise"/>: a Turbo model's 1 step
    /// at strength 0.5 would run none, and Stability's card runs its edits at 2.</summary>
    public static EditSettings For(ModelGenerationDefaults? model, EditOperation operation, float denoise) => new(
        model?.Sampler ?? Spec.Scheduler,
        ImageToImageSteps.AtLeastOne(model?.Steps ?? Spec.Steps, denoise),
        model?.Guidance ?? EditRequest.DefaultGuidance(operation))
    {
        ImageGuidance = model?.ImageGuidance ?? InstructionEdit.DefaultImageGuidance,
        AutoMask = model?.AutoMask,
    };

    /// <summary>What the Edit page says under its steps: how many of them denoise at <paramref name="denoise"/>, and the
    /// fewest that would when none does; null where every step runs (outpainting, instruction edits).</summary>
    public static string? StepsHelp(int steps, float denoise) => denoise is > 0f and < 1f
        ? ImageToImageSteps.Run(steps, denoise) is var run and > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{run} of them denoise at strength {denoise:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"None denoise at strength {denoise:0.00}: use at least {ImageToImageSteps.AtLeastOne(steps, denoise)}")
        : null;
}
