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

    /// <summary>The automatic mask's threshold where a model's card names none: on the built-in edit model's suite 0.3
    /// kept more than 0.2 or 0.1 did and made more of the asked changes than 0.5.</summary>
    public const float DefaultAutoMaskThreshold = 0.3f;

    /// <summary>How closely the result follows the instruction.</summary>
    public float TextGuidance { get; init; } = DefaultTextGuidance;

    /// <summary>How closely the result keeps to the input image.</summary>
    public float ImageGuidance { get; init; } = DefaultImageGuidance;

    /// <summary>
    /// Keeps what the instruction does not touch: the run finds where the instruction changes the picture
    /// (<see cref="InstructionChangeMask"/>) and blends the input back everywhere else, as a painted mask does. The value
    /// is the share of the strongest change a latent cell must reach to be repainted (0 to 1); null leaves the whole
    /// picture to the model, as diffusers does. A painted mask, when there is one, is used instead. It reads the
    /// three-way guidance, so it does nothing where that is off (<see cref="InstructPix2PixGuidance.Applies"/>).
    /// </summary>
    public float? AutoMaskThreshold { get; init; }
}
