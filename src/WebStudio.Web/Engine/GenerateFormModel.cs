using WebStudio.Data;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Plots;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Web.Engine;

/// <summary>The Generate page's editable form (mutable for binding); -1 as seed means a random one, as in A1111.</summary>
public sealed class GenerateFormModel
{
    public const int PromptLimit = GenerationRequest.MaxPromptLength;

    public string Prompt { get; set; } = "";
    public string NegativePrompt { get; set; } = "";
    public string Model { get; set; } = "";
    public string Scheduler { get; set; } = Defaults.Scheduler;
    public int Steps { get; set; } = Defaults.Steps;
    public float Guidance { get; set; } = Defaults.Guidance;

    /// <summary>CFG rescale, 0 (off) to 1 (<see cref="JobSpec.Diffusion.GuidanceRescale"/>).</summary>
    public float GuidanceRescale { get; set; }

    /// <summary>What the Generate form and the Edit page say under their CFG rescale.</summary>
    public const string GuidanceRescaleHelp = "0 off · 0.7 tames a high CFG scale";

    public long Seed { get; set; } = Defaults.Seed;
    public string Size { get; set; } = "";
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>A refiner model that finishes the run, or empty for none.</summary>
    public string Refiner { get; set; } = "";
    public float RefinerSwitchAt { get; set; } = Defaults.RefinerSwitchAt;

    /// <summary>A1111's variation seed (-1 for a random one), used while <see cref="VariationStrength"/> is above 0.</summary>
    public long VariationSeed { get; set; } = -1;
    public float VariationStrength { get; set; }

    /// <summary>A1111's "Hires. fix": while on, each image is enlarged <see cref="HiresFactor"/>× and redrawn in the same job
    /// (<see cref="HiresPass"/>).</summary>
    public bool HiresOn { get; set; }
    public int HiresFactor { get; set; } = HiresDefaults.Factor;
    public float HiresStrength { get; set; } = HiresDefaults.Strength;

    /// <summary>The second pass's steps; 0 takes the first pass's.</summary>
    public int HiresSteps { get; set; }

    /// <summary>What the form says under the hires fix's strength.</summary>
    public const string HiresStrengthHelp = "0.05 keeps the objects · higher adds detail, may add objects";

    /// <summary>"→ 256×256": the size the hires fix makes, or null while the form has no size.</summary>
    public string? HiresSizeText => SizePresets.Parse(Size) is var (width, height) && width > 0 && height > 0
        ? $"→ {width * HiresFactor}×{height * HiresFactor}"
        : null;

    /// <summary>A1111's "Generate forever": while on, the page presses Generate again as each press's jobs end, with
    /// the form as it is then. Not part of a job.</summary>
    public bool Forever { get; set; }

    /// <summary>A1111's usual strength for "a little different": the layout stays, details move.</summary>
    public const float VariationsStrength = 0.25f;

    /// <summary>sd-dynamic-prompts' random mode: while on, a prompt's {…|…} choices queue <see cref="RandomPromptCount"/>
    /// of their combinations drawn at random (by the seed) instead of every one.</summary>
    public bool RandomPrompts { get; set; }
    public int RandomPromptCount { get; set; } = 8;

    /// <summary>How many prompts to draw, or null for every combination.</summary>
    public int? RandomPromptsAsked => RandomPrompts ? RandomPromptCount : null;

    /// <summary>A1111's X/Y plot: while on, Generate queues a job per cell of the axes below.</summary>
    public bool PlotOn { get; set; }
    public PlotAxisKind PlotX { get; set; } = PlotAxisKind.Guidance;
    public string PlotXValues { get; set; } = "";

    /// <summary>The Y axis's kind by name, or "" for a plot of one row.</summary>
    public string PlotY { get; set; } = "";
    public string PlotYValues { get; set; } = "";

    /// <summary>The Z axis's kind by name (a grid per value), or "" for one grid.</summary>
    public string PlotZ { get; set; } = "";
    public string PlotZValues { get; set; } = "";

    /// <summary>The plot asked for, or null while it is off.</summary>
    public XyPlotRequest? PlotRequest => PlotOn
        ? new XyPlotRequest(PlotX, PlotXValues, Enum.TryParse<PlotAxisKind>(PlotY, out var y) ? y : null, PlotYValues,
            Enum.TryParse<PlotAxisKind>(PlotZ, out var z) ? z : null, PlotZValues)
        : null;

    // The form starts at the spec's defaults, declared once in JobSpec.
    private static readonly JobSpec.Txt2Img Defaults = new();
    private static readonly HiresPass HiresDefaults = new();

    /// <summary>The form as a job: the one mapping from the Generate page to a spec.</summary>
    public JobSpec.Txt2Img ToSpec()
    {
        var (width, height) = SizePresets.Parse(Size);
        return new JobSpec.Txt2Img
        {
            Prompt = Prompt ?? "",
            NegativePrompt = NegativePrompt ?? "",
            Model = Model,
            Scheduler = Scheduler,
            Steps = Steps,
            Guidance = Guidance,
            GuidanceRescale = GuidanceRescale,
            Seed = Seed,
            Width = width,
            Height = height,
            BatchSize = BatchSize,
            Refiner = string.IsNullOrEmpty(Refiner) ? null : Refiner,
            RefinerSwitchAt = RefinerSwitchAt,
            VariationSeed = VariationStrength > 0f ? VariationSeed : null,
            VariationStrength = VariationStrength > 0f ? VariationStrength : 0f,
            Hires = HiresOn ? new HiresPass { Factor = HiresFactor, Strength = HiresStrength, Steps = HiresSteps } : null,
        };
    }

    /// <summary>A model has been chosen: the form takes its own defaults (card.json's <c>defaults</c>, e.g. a Turbo
    /// model's 1 step at guidance 0), and the studio's for what it does not say, so that nothing of the last model's
    /// stays behind. Its size is taken where it is one of <paramref name="sizes"/> (the model's presets); otherwise the
    /// form keeps its size where the model offers it, or takes the first preset.</summary>
    public void TakeDefaults(ModelGenerationDefaults? model, IReadOnlyList<string> sizes)
    {
        Scheduler = model?.Sampler ?? Defaults.Scheduler;
        Steps = model?.Steps ?? Defaults.Steps;
        Guidance = model?.Guidance ?? Defaults.Guidance;
        if (model is { Width: { } width, Height: { } height } && sizes.Contains(SizePresets.Format(width, height)))
        {
            Size = SizePresets.Format(width, height);
        }
        else if (!sizes.Contains(Size))
        {
            Size = sizes.FirstOrDefault() ?? "";
        }
    }

    /// <summary>"Copy parameters" and re-run: the form takes a finished job's settings from its spec (an edit's
    /// diffusion settings too), at the size it made.</summary>
    public void CopyFrom(GenerationJob job)
    {
        // An upscale has no diffusion settings to copy; an instruction edit's prompt is an instruction, and its model
        // makes no picture from a prompt alone.
        // A hires fix made its picture at the size it was enlarged from.
        switch (JobSpecJson.Read(job))
        {
            case JobSpec.HiresFix hires:
                CopyFrom(hires, job.Width / hires.Factor, job.Height / hires.Factor);
                break;
            case JobSpec.Diffusion spec and not JobSpec.InstructEdit:
                CopyFrom(spec, job.Width, job.Height);
                break;
        }
    }

    /// <summary>"Variations" of an image of <paramref name="job"/> made from <paramref name="seed"/>: its settings and its
    /// seed, and <paramref name="count"/> images that each blend in a new variation seed by <see cref="VariationsStrength"/>.</summary>
    public void VariationsOf(GenerationJob job, long seed, int count)
    {
        CopyFrom(job);
        Seed = seed;
        BatchSize = count;
        (VariationSeed, VariationStrength) = (-1, VariationsStrength);
    }

    /// <summary>"Re-run" of image <paramref name="index"/> of <paramref name="job"/>, made from <paramref name="seed"/>:
    /// the same picture again, a varied image with its own variation seed.</summary>
    public void RerunOf(GenerationJob job, long seed, int index)
    {
        CopyFrom(job);
        Seed = seed;
        BatchSize = 1;
        if (JobSpecJson.Read(job) is JobSpec.Txt2Img spec && spec.VariationSeedOf(index) is { } own)
        {
            VariationSeed = own;
        }
    }

    /// <summary>A spec's settings into the form (a PNG's parameters come this way); no size keeps the form's.</summary>
    public void CopyFrom(JobSpec.Txt2Img spec) => CopyFrom(spec, spec.Width ?? 0, spec.Height ?? 0);

    private void CopyFrom(JobSpec.Diffusion spec, int width, int height)
    {
        Prompt = spec.Prompt;
        NegativePrompt = spec.NegativePrompt;
        Model = spec.Model;
        Scheduler = spec.Scheduler;
        Steps = spec.Steps;
        Guidance = spec.Guidance;
        GuidanceRescale = spec.GuidanceRescale;
        Seed = spec.Seed;
        BatchSize = spec.BatchSize;
        (Refiner, RefinerSwitchAt) = spec is JobSpec.Txt2Img txt2img ? (txt2img.Refiner ?? "", txt2img.RefinerSwitchAt) : ("", Defaults.RefinerSwitchAt);
        (VariationSeed, VariationStrength) = spec is JobSpec.Txt2Img { VariationSeed: { } variation } varied ? (variation, varied.VariationStrength) : (-1, 0f);
        var hires = (spec as JobSpec.Txt2Img)?.Hires;
        (HiresOn, HiresFactor, HiresStrength, HiresSteps) = hires is null
            ? (false, HiresFactor, HiresStrength, HiresSteps)
            : (true, hires.Factor, hires.Strength, hires.Steps);
        if (width > 0 && height > 0)
        {
            Size = SizePresets.Format(width, height);
        }
    }
}
