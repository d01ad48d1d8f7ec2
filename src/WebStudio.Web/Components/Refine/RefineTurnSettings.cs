using WebStudio.Studio.Editing;
using WebStudio.Studio.Refine;

namespace WebStudio.Web.Components.Refine;

/// <summary>The next turn's settings under "More": its model's defaults until the user changes them.</summary>
public sealed class RefineTurnSettings
{
    public long Seed { get; set; } = new RefineTurnRequest().Seed;

    public string? Scheduler { get; set; }

    public float TextGuidance { get; set; }

    public float ImageGuidance { get; set; }

    public int Steps { get; set; }

    /// <summary>Repaint only where the instruction changes the picture (DiffEdit's automatic mask).</summary>
    public bool KeepRest { get; set; }

    private float autoMask;

    /// <summary>A model's own settings, its card's image guidance and automatic mask too; the seed stays the user's.</summary>
    public void Take(EditSettings settings)
    {
        (Scheduler, Steps, TextGuidance) = (settings.Scheduler, settings.Steps, settings.Guidance);
        ImageGuidance = settings.ImageGuidance;
        autoMask = settings.AutoMask ?? WebStudio.Generation.Pipelines.InstructionEdit.DefaultAutoMaskThreshold;
        KeepRest = settings.AutoMask is not null;
    }

    /// <summary>The request of a turn with these settings.</summary>
    public RefineTurnRequest Request(string instruction, string? model) => new()
    {
        Instruction = instruction,
        Seed = Seed,
        Scheduler = Scheduler,
        TextGuidance = TextGuidance,
        ImageGuidance = ImageGuidance,
        AutoMask = KeepRest ? autoMask : 0f,
        Steps = Steps,
        Model = model,
    };
}
