using System.Text.Json.Serialization;
using WebStudio.Data;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Jobs;

/// <summary>
/// What one job does: the one type for a job's work, from every entry point (the Generate form, the Edit page, the
/// HTTP and OpenAI APIs, re-run and a PNG's parameters) to the queue, the executors and the stored row. A closed
/// hierarchy: each kind is a nested record that declares its own fields and defaults, once. Stored as versioned JSON
/// (<see cref="JobSpecJson"/>) beside the indexed columns that history queries.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Txt2Img), "txt2img")]
[JsonDerivedType(typeof(Img2Img), "img2img")]
[JsonDerivedType(typeof(Inpaint), "inpaint")]
[JsonDerivedType(typeof(Outpaint), "outpaint")]
[JsonDerivedType(typeof(HiresFix), "hires-fix")]
[JsonDerivedType(typeof(Upscale), "upscale")]
[JsonDerivedType(typeof(InstructEdit), "instruct-edit")]
public abstract record JobSpec
{
    // Only the nested kinds derive: the set of kinds is closed, so a switch over them is checked by the compiler's
    // eye and by JobSpecTests (every kind has an executor and a stored form).
    private JobSpec()
    {
    }

    /// <summary>The seed of the first image; -1 picks one at submission, and the stored spec holds the one picked.</summary>
    public long Seed { get; init; } = -1;

    /// <summary>The kind as the jobs table's indexed column holds it.</summary>
    [JsonIgnore]
    public JobKind Kind => this switch
    {
        Txt2Img => JobKind.Txt2Img,
        Img2Img => JobKind.Img2Img,
        Inpaint => JobKind.Inpaint,
        Outpaint => JobKind.Outpaint,
        HiresFix => JobKind.HiresFix,
        Upscale => JobKind.Upscale,
        InstructEdit => JobKind.InstructEdit,
        _ => throw new NotSupportedException($"{GetType().Name} has no job kind."),
    };

    /// <summary>The picture an edit starts from ("image:{id}" or "upload:{id}"); null for text-to-image and for an
    /// OpenAI request's own upload, whose pixels live only in the job input store.</summary>
    public interface IEdit
    {
        string? Source { get; }
    }

    /// <summary>A run of the diffusion pipeline: the settings every such kind shares.</summary>
    public abstract record Diffusion : JobSpec
    {
        private protected Diffusion()
        {
        }

        public string Prompt { get; init; } = "";
        public string NegativePrompt { get; init; } = "";
        public string Model { get; init; } = "";
        public string Scheduler { get; init; } = "Euler a";
        public int Steps { get; init; } = 20;
        public float Guidance { get; init; } = 7f;
        public int BatchSize { get; init; } = 1;

        /// <summary>CFG rescale (<see cref="GenerationRequest.GuidanceRescale"/>): 0 is off, and is left out of the
        /// stored spec, as it was before there was one.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public float GuidanceRescale { get; init; }

        /// <summary>How far the result departs from the source: 1 for text to image (there is none) and for
        /// outpainting (the new area has nothing to keep).</summary>
        [JsonIgnore]
        public float Denoise => this switch
        {
            Img2Img img2img => img2img.Strength,
            Inpaint inpaint => inpaint.Strength,
            HiresFix hires => hires.Strength,
            _ => 1f,
        };
    }

    /// <summary>Text to image. A width or height left out (null) is the model's native size, chosen at submission;
    /// the stored spec holds the size it ran at.</summary>
    public sealed record Txt2Img : Diffusion
    {
        public int? Width { get; init; }
        public int? Height { get; init; }

        /// <summary>A refiner model (an SDXL refiner, or any model of the same family) that finishes the run from
        /// <see cref="RefinerSwitchAt"/> of its steps, in the same job (A1111's Refiner, diffusers' base + refiner).</summary>
        public string? Refiner { get; init; }

        /// <summary>The fraction of the steps the model runs before the refiner takes over (A1111's "Switch at").</summary>
        public float RefinerSwitchAt { get; init; } = RefinerPass.DefaultSwitchAt;

        /// <summary>A1111's "Hires. fix": a second pass that enlarges and redraws each image in this job; null for none.
        /// The images come out <see cref="HiresPass.Factor"/> times <see cref="Width"/> × <see cref="Height"/>.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public HiresPass? Hires { get; init; }

        /// <summary>A1111's "Variation seed" (<see cref="GenerationRequest.VariationSeed"/>): -1 picks one at submission,
        /// and the stored spec holds the one picked; null, or a <see cref="VariationStrength"/> of 0, for none.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public long? VariationSeed { get; init; }

        /// <summary>A1111's "Variation strength": how far each image departs from <see cref="JobSpec.Seed"/>'s picture.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public float VariationStrength { get; init; }

        /// <summary>The variation seed of image <paramref name="index"/> of the batch, or null when it has none (every
        /// image of a varied batch keeps the job's seed).</summary>
        public long? VariationSeedOf(int index) => GenerationRequest.VariationSeedOf(VariationSeed, VariationStrength, index);
    }

    /// <summary>Image to image: the whole picture redrawn (A1111's img2img; "Restyle" on the Edit page).</summary>
    public sealed record Img2Img : Diffusion, IEdit
    {
        public string? Source { get; init; }

        /// <summary>A1111's "Denoising strength" default.</summary>
        public float Strength { get; init; } = 0.75f;
    }

    /// <summary>The masked area repainted.</summary>
    public sealed record Inpaint : Diffusion, IEdit
    {
        public string? Source { get; init; }

        /// <summary>A painted mask of the Edit page (white = repaint); null for an OpenAI edit's own mask.</summary>
        public Guid? MaskId { get; init; }

        public float Strength { get; init; } = 0.75f;

        /// <summary>A1111's "Inpaint area: Only masked": the masked area and its padding at the full size.</summary>
        public bool OnlyMasked { get; init; } = true;

        /// <summary>Context kept around the mask with <see cref="OnlyMasked"/>; null for 1/16 of the shorter side.</summary>
        public int? OnlyMaskedPadding { get; init; }

        /// <summary>A1111's "Mask blur": the pixels over which the mask's edge is feathered.</summary>
        public int MaskBlur { get; init; } = GenerationRequest.DefaultMaskFeather;
    }

    /// <summary>The canvas extended on some sides (multiples of 8), and the new area painted from pure noise.</summary>
    public sealed record Outpaint : Diffusion, IEdit
    {
        public string? Source { get; init; }
        public int Left { get; init; }
        public int Top { get; init; }
        public int Right { get; init; }
        public int Bottom { get; init; }
        public int MaskBlur { get; init; } = GenerationRequest.DefaultMaskFeather;
    }

    /// <summary>A Lanczos upscale, then image to image at a low strength (A1111's "Hires. fix").</summary>
    public sealed record HiresFix : Diffusion, IEdit
    {
        public string? Source { get; init; }
        public int Factor { get; init; } = 2;

        /// <summary>The strength measured to keep the object count on the built-in model (A1111's 0.7 duplicated
        /// objects, issue 20); see <see cref="WebStudio.Generation.Imaging.HiresFix.DefaultStrength"/>.</summary>
        public float Strength { get; init; } = WebStudio.Generation.Imaging.HiresFix.DefaultStrength;

        /// <summary>The source's resolution when it was itself upscaled: its native size and upscales come first in
        /// this result's (<see cref="ImageResolution.From"/>); null for a native image or an upload.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ImageResolution? SourceResolution { get; init; }
    }

    /// <summary>An instruction edit (InstructPix2Pix, issue 22): <see cref="Diffusion.Prompt"/> is the instruction
    /// ("make the circle blue"), <see cref="Diffusion.Guidance"/> the text guidance and <see cref="ImageGuidance"/> how
    /// closely the result keeps to the source. Runs only on a model that edits by instruction; an optional mask keeps
    /// the unmasked area as it was.</summary>
    public sealed record InstructEdit : Diffusion, IEdit
    {
        public InstructEdit()
        {
            Guidance = InstructionEdit.DefaultTextGuidance;
        }

        public string? Source { get; init; }

        public float ImageGuidance { get; init; } = InstructionEdit.DefaultImageGuidance;

        /// <summary>The automatic mask's threshold (<see cref="InstructionEdit.AutoMaskThreshold"/>): the edit keeps what the
        /// instruction does not touch. Null: the model may redraw the whole picture. A painted mask is used instead.</summary>
        public float? AutoMask { get; init; }

        /// <summary>A painted mask (white = may change); null edits the whole picture.</summary>
        public Guid? MaskId { get; init; }
    }

    /// <summary>No diffusion: Lanczos by <see cref="Factor"/>, or an ONNX super-resolution model at its own scale.</summary>
    public sealed record Upscale : JobSpec, IEdit
    {
        public string? Source { get; init; }
        public int Factor { get; init; } = 2;

        /// <summary>An ONNX upscaler's name from models/upscalers, or null for Lanczos.</summary>
        public string? Upscaler { get; init; }

        /// <summary>The source's resolution when it was itself upscaled (see <see cref="HiresFix.SourceResolution"/>).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ImageResolution? SourceResolution { get; init; }

        /// <summary>What the history shows in the model column.</summary>
        public string Label => Upscaler ?? $"Lanczos {Factor}x";
    }
}
