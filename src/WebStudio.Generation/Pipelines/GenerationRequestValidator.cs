using System.Globalization;
using WebStudio.Generation.Schedulers;

namespace WebStudio.Generation.Pipelines;

/// <summary>One refused field of a request, with a message a user understands.</summary>
public sealed record ValidationProblem(string Field, string Message);

/// <summary>Thrown by the pipeline for a request that fails validation, before any work is done.</summary>
public sealed class GenerationValidationException(IReadOnlyList<ValidationProblem> problems)
    : ArgumentException(string.Join("; ", problems.Select(p => p.Message)), problems.Count > 0 ? problems[0].Field : null)
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}

/// <summary>The limits every request must meet, checked before any work so that a bad value never reaches a run.</summary>
public static class GenerationRequestValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(GenerationRequest request)
    {
        var problems = new List<ValidationProblem>();

        if (request.Prompt is null || request.Prompt.Length > GenerationRequest.MaxPromptLength)
        {
            problems.Add(new("prompt", $"the prompt must be at most {GenerationRequest.MaxPromptLength:N0} characters"));
        }

        if (request.NegativePrompt is null || request.NegativePrompt.Length > GenerationRequest.MaxPromptLength)
        {
            problems.Add(new("negativePrompt", $"the negative prompt must be at most {GenerationRequest.MaxPromptLength:N0} characters"));
        }

        if (request.Steps is < GenerationRequest.MinSteps or > GenerationRequest.MaxSteps)
        {
            problems.Add(new("steps", $"steps must be between {GenerationRequest.MinSteps} and {GenerationRequest.MaxSteps}"));
        }

        CheckGuidance(problems, "guidance", "guidance", request.Guidance);

        CheckSize(problems, "width", request.Width);
        CheckSize(problems, "height", request.Height);

        if (request.BatchSize is < GenerationRequest.MinBatch or > GenerationRequest.MaxBatch)
        {
            problems.Add(new("batchSize", $"batch count must be between {GenerationRequest.MinBatch} and {GenerationRequest.MaxBatch}"));
        }

        if (!SchedulerNames.All.Contains(request.Scheduler ?? "", StringComparer.Ordinal))
        {
            problems.Add(new("scheduler", $"unknown scheduler '{request.Scheduler}'; choose one of: {string.Join(", ", SchedulerNames.All)}"));
        }

        if (!float.IsFinite(request.VariationStrength) || request.VariationStrength is < 0f or > 1f)
        {
            problems.Add(new("variationStrength", "the variation strength must be between 0 and 1, such as 0.25"));
        }

        if (!float.IsFinite(request.GuidanceRescale) || request.GuidanceRescale is < 0f or > 1f)
        {
            problems.Add(new("guidanceRescale", "the CFG rescale must be between 0 (off) and 1, such as 0.7"));
        }

        CheckImages(problems, request);
        CheckRefiner(problems, request);
        return problems;
    }

    /// <summary>Why <paramref name="switchAt"/> cannot be a refiner's switch, or null when it can.</summary>
    public static ValidationProblem? RefinerSwitchProblem(float switchAt) =>
        float.IsFinite(switchAt) && switchAt > 0f && switchAt < 1f ? null
        : new("refinerSwitchAt", "the refiner's switch must be a fraction of the steps between 0 and 1, such as 0.8");

    /// <summary>A refiner takes over at a fraction strictly inside the schedule, from latents of its own latent space;
    /// inpainting and instruction edits keep one model throughout.</summary>
    private static void CheckRefiner(List<ValidationProblem> problems, GenerationRequest request)
    {
        if (request.Refiner is not { } refiner)
        {
            return;
        }

        if (RefinerSwitchProblem(refiner.SwitchAt) is { } problem)
        {
            problems.Add(problem);
        }

        if (refiner.Guidance is { } guidance)
        {
            CheckGuidance(problems, "refinerGuidance", "the refiner's guidance", guidance);
        }

        if (request.Mask is not null || request.InstructionEdit is not null || refiner.Model.EditsByInstruction)
        {
            problems.Add(new("refiner", "a refiner finishes txt2img and img2img runs; inpainting and instruction edits run on one model"));
        }

        if (refiner.Model.UNet.InChannels != 4)
        {
            problems.Add(new("refiner", $"the refiner's UNet takes {refiner.Model.UNet.InChannels} channels; a refiner takes the latents alone (4)"));
        }
    }

    /// <summary><see cref="Validate(GenerationRequest)"/>, plus what the model's kind demands: an instruction edit
    /// needs an InstructPix2Pix-format model, and such a model needs an input image.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(GenerationRequest request, bool editsByInstruction)
    {
        var problems = new List<ValidationProblem>(Validate(request));
        if (request.InstructionEdit is not null && !editsByInstruction)
        {
            problems.Add(new("model", "this model does not edit by instruction: an instruction edit needs an InstructPix2Pix-format model " +
                "(model_index.json class StableDiffusionInstructPix2PixPipeline, a UNet with 8 input channels)"));
        }
        else if (request.InstructionEdit is null && editsByInstruction && request.InitImage is null)
        {
            problems.Add(new("image", "this model edits by instruction: it needs the input image to change, and the prompt says how"));
        }

        if (request.InitImage is not null && request.InstructionEdit is null && !editsByInstruction && request.Strength is > 0f and <= 1f
            && request.Steps is >= GenerationRequest.MinSteps and <= GenerationRequest.MaxSteps && ImageToImageSteps.Run(request.Steps, request.Strength) < 1)
        {
            // diffusers refuses this too; without it the source would come back unchanged, with nothing said.
            problems.Add(new("steps", string.Create(CultureInfo.InvariantCulture,
                $"at strength {request.Strength:0.##}, {request.Steps} {(request.Steps == 1 ? "step leaves" : "steps leave")} none to denoise (an edit runs steps × strength of them, rounded down); use at least {ImageToImageSteps.AtLeastOne(request.Steps, request.Strength)} steps")));
        }

        return problems;
    }

    public static void ThrowIfInvalid(GenerationRequest request, bool editsByInstruction = false)
    {
        var problems = Validate(request, editsByInstruction);
        if (problems.Count > 0)
        {
            throw new GenerationValidationException(problems);
        }
    }

    private static void CheckImages(List<ValidationProblem> problems, GenerationRequest request)
    {
        if (request.InitImage is { } image && (image.Width != request.Width || image.Height != request.Height))
        {
            problems.Add(new("image", $"the image is {image.Width}x{image.Height}, but the request asks for {request.Width}x{request.Height}"));
        }

        if (request.Mask is { } mask)
        {
            if (request.InitImage is null)
            {
                problems.Add(new("mask", "a mask needs an image to inpaint"));
            }
            else if (mask.Width != request.InitImage.Width || mask.Height != request.InitImage.Height)
            {
                problems.Add(new("mask", $"the mask is {mask.Width}x{mask.Height}, but the image is {request.InitImage.Width}x{request.InitImage.Height}"));
            }
        }

        if (!float.IsFinite(request.Strength) || request.Strength < 0f || request.Strength > 1f)
        {
            problems.Add(new("strength", "strength must be between 0 and 1"));
        }

        if (request.InstructionEdit is { } edit)
        {
            if (request.InitImage is null)
            {
                problems.Add(new("image", "an instruction edit needs the input image to change"));
            }

            CheckGuidance(problems, "textGuidance", "text guidance", edit.TextGuidance);
            CheckGuidance(problems, "imageGuidance", "image guidance", edit.ImageGuidance);
            if (edit.AutoMaskThreshold is { } threshold && !(threshold is > 0f and < 1f))
            {
                problems.Add(new("autoMask", "the automatic mask's threshold must be between 0 and 1 (a share of the strongest change)"));
            }
        }

        if (request.MaskFeather is < 0 or > GenerationRequest.MaxMaskFeather)
        {
            problems.Add(new("maskFeather", $"mask feathering must be between 0 and {GenerationRequest.MaxMaskFeather} pixels"));
        }

        if (request.OnlyMaskedPadding is < 0 or > GenerationRequest.MaxOnlyMaskedPadding)
        {
            problems.Add(new("onlyMaskedPadding", $"the padding around the mask must be between 0 and {GenerationRequest.MaxOnlyMaskedPadding} pixels"));
        }
    }

    private static void CheckGuidance(List<ValidationProblem> problems, string field, string name, float value)
    {
        if (!float.IsFinite(value) || value < GenerationRequest.MinGuidance || value > GenerationRequest.MaxGuidance)
        {
            problems.Add(new(field, string.Create(CultureInfo.InvariantCulture,
                $"{name} must be between {GenerationRequest.MinGuidance} and {GenerationRequest.MaxGuidance}")));
        }
    }

    private static void CheckSize(List<ValidationProblem> problems, string field, int value)
    {
        if (value is < GenerationRequest.MinSize or > GenerationRequest.MaxSize || value % GenerationRequest.SizeMultiple != 0)
        {
            problems.Add(new(field,
                $"{field} must be between {GenerationRequest.MinSize} and {GenerationRequest.MaxSize} pixels, in multiples of {GenerationRequest.SizeMultiple}"));
        }
    }
}
