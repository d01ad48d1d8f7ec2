namespace WebStudio.Generation.Pipelines;

/// <summary>
/// An instruction edit (InstructPix2Pix): <see cref="GenerationRequest.Prompt"/> is the instruction ("make the circle
/// blue") and <see cref="GenerationRequest.InitImage"/> the picture it changes. Only an InstructPix2Pix-format model
/// (<see cref="Models.StableDiffusionModel.EditsByInstruction"/>) runs one. The two scales are diffusers'
/// <c>guidance_scale</c> and <c>image_guidance_scale</c>; the request's <see cref="GenerationRequest.Guidance"/> and
/// <see cref="GenerationRequest.Strength"/> are not used (an edit always starts from noise, as diffusers' does).
/// </summary>
public sealed record InstructionEdit
{
    public const float DefaultTextGuidance = 7.5f;
    public const float DefaultImageGuidance = 1.5f;

    /// <summary>How closely the result follows the instruction.</summary>
    public float TextGuidance { get; init; } = DefaultTextGuidance;

    /// <summary>How closely the result keeps to the input image.</summary>
    public float ImageGuidance { get; init; } = DefaultImageGuidance;
}
