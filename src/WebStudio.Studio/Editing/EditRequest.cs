using System.Text.Json.Serialization;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Studio.Editing;

/// <summary>An edit as the Edit page and POST /api/edits send it; the pixels are referenced by id, never inline.</summary>
public sealed record EditRequest
{
    [JsonConverter(typeof(JsonStringEnumConverter<EditOperation>))]
    public EditOperation Operation { get; init; } = EditOperation.Restyle;

    /// <summary>"image:{id}" (history or gallery) or "upload:{id}" (POST /api/uploads).</summary>
    public string Source { get; init; } = "";

    /// <summary>A mask from POST /api/masks (white = repaint), the size of the source; inpainting only.</summary>
    public Guid? MaskId { get; init; }

    public string Prompt { get; init; } = "";
    public string NegativePrompt { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>The sampler; null for the model's default (its card), else the spec's.</summary>
    public string? Scheduler { get; init; }

    /// <summary>The steps; null for the model's default (its card, or a Turbo folder's 1), else the spec's, raised where
    /// needed so that the edit denoises at least once at its strength (<see cref="EditSettings"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>The (text) guidance scale; null for the model's default, else the operation's: 7, or 7.5 for an
    /// instruction edit, as diffusers' InstructPix2Pix pipeline has it.</summary>
    public float? Guidance { get; init; }

    /// <summary>CFG rescale, 0 (off) to 1, as on the Generate form (<see cref="JobSpec.Diffusion.GuidanceRescale"/>); an
    /// instruction edit, whose guidance is three-way, runs without it.</summary>
    public float GuidanceRescale { get; init; }

    /// <summary>-1 picks a random seed.</summary>
    public long Seed { get; init; } = Img2ImgDefaults.Seed;

    /// <summary>How far the result departs from the source (restyle, inpaint, hires fix); outpainting always uses 1.
    /// Null: the operation's own default (<see cref="DefaultStrength"/>).</summary>
    public float? Strength { get; init; }

    /// <summary>An instruction edit's image guidance: how closely the result keeps to the source; null for the
    /// default (1.5).</summary>
    public float? ImageGuidance { get; init; }

    /// <summary>An instruction edit keeps what the instruction does not touch (<see cref="InstructionEdit.AutoMaskThreshold"/>):
    /// the threshold, 0 for off, or null for the model's own (its card's <c>autoMask</c>, else off).</summary>
    public float? AutoMask { get; init; }

    /// <summary>Inpainting's "Inpaint area", as in A1111: true ("Only masked") inpaints the masked area and its padding
    /// at the full size and scales it back, so a small mask gets the model's whole resolution; false is "Whole picture".</summary>
    public bool OnlyMasked { get; init; } = InpaintDefaults.OnlyMasked;

    /// <summary>Pixels of context kept around the mask with <see cref="OnlyMasked"/>; null for 1/16 of the image's
    /// shorter side (A1111's 32 at 512).</summary>
    public int? OnlyMaskedPadding { get; init; }

    /// <summary>Inpaint and outpaint: A1111's "Mask blur", pixels over which the mask's edge is feathered (0–64).</summary>
    public int MaskBlur { get; init; } = InpaintDefaults.MaskBlur;

    public int OutpaintLeft { get; init; }
    public int OutpaintTop { get; init; }
    public int OutpaintRight { get; init; }
    public int OutpaintBottom { get; init; }

    /// <summary>2 or 4 for Lanczos and the hires fix; ignored with an ONNX upscaler (its own scale applies).</summary>
    public int UpscaleFactor { get; init; } = UpscaleDefaults.Factor;

    /// <summary>An ONNX upscaler's name from models/upscalers, or null for Lanczos.</summary>
    public string? Upscaler { get; init; }

    // The wire format's defaults are the specs' own, declared once in JobSpec.
    private static readonly JobSpec.Img2Img Img2ImgDefaults = new();

    /// <summary>The guidance an operation starts at, without a model's own.</summary>
    public static float DefaultGuidance(EditOperation operation) =>
        operation == EditOperation.Instruct ? WebStudio.Generation.Pipelines.InstructionEdit.DefaultTextGuidance : Img2ImgDefaults.Guidance;

    /// <summary>The sampler, steps and guidance (both, for an instruction edit) the edit runs with: those asked for,
    /// and for the rest the model's defaults (<paramref name="model"/>, from its card) before the operation's.</summary>
    public EditSettings SettingsWith(ModelGenerationDefaults? model)
    {
        var defaults = EditSettings.For(model, Operation, Denoise);
        return new(Scheduler ?? defaults.Scheduler, Steps ?? defaults.Steps, Guidance ?? defaults.Guidance)
        {
            ImageGuidance = ImageGuidance ?? defaults.ImageGuidance,
            AutoMask = EditSettings.AutoMaskOf(AutoMask, defaults.AutoMask),
        };
    }

    /// <summary>How far the edit departs from its source (<see cref="DenoiseOf"/>).</summary>
    public float Denoise => DenoiseOf(Operation, StrengthOrDefault);

    /// <summary>How far an <paramref name="operation"/> at <paramref name="strength"/> departs from its source: the
    /// strength where the operation takes one, else 1 (outpainting's new area, an instruction edit's whole run).</summary>
    public static float DenoiseOf(EditOperation operation, float strength) =>
        operation is EditOperation.Restyle or EditOperation.Inpaint or EditOperation.HiresFix ? strength : 1f;
    private static readonly JobSpec.Inpaint InpaintDefaults = new();
    private static readonly JobSpec.Upscale UpscaleDefaults = new();

    /// <summary>The strength an operation starts at: its spec's default (outpainting and upscaling use none).</summary>
    public static float DefaultStrength(EditOperation operation) => operation switch
    {
        EditOperation.Inpaint => InpaintDefaults.Strength,
        EditOperation.HiresFix => new JobSpec.HiresFix().Strength,
        _ => Img2ImgDefaults.Strength,
    };

    /// <summary>A hires fix of one image a job made, as A1111's button under a result runs it: the job's prompt, model
    /// and settings, the image's own seed, 2× at the default strength (the steps raised where needed to denoise once).</summary>
    public static EditRequest HiresFixOf(JobSpec.Diffusion made, Guid imageId, long seed) => new()
    {
        Operation = EditOperation.HiresFix,
        Source = EditSource.FromImage(imageId).ToString(),
        Prompt = made.Prompt,
        NegativePrompt = made.NegativePrompt,
        Model = made.Model,
        Scheduler = made.Scheduler,
        Steps = WebStudio.Generation.Pipelines.ImageToImageSteps.AtLeastOne(made.Steps, DefaultStrength(EditOperation.HiresFix)),
        Guidance = made.Guidance,
        GuidanceRescale = made.GuidanceRescale,
        Seed = seed,
    };

    /// <summary>The strength asked for, or the operation's default.</summary>
    public float StrengthOrDefault => Strength ?? DefaultStrength(Operation);
}
