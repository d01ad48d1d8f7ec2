using WebStudio.Data;
using WebStudio.Studio.Engine;

namespace WebStudio.Web.Engine;

/// <summary>The Generate page's editable form (mutable for binding); -1 as seed means a random one, as in A1111.</summary>
public sealed class GenerateFormModel
{
    public const int PromptLimit = 2000;

    public string Prompt { get; set; } = "";
    public string NegativePrompt { get; set; } = "";
    public string Model { get; set; } = "";
    public string Scheduler { get; set; } = "Euler a";
    public int Steps { get; set; } = 20;
    public float Guidance { get; set; } = 7f;
    public long Seed { get; set; } = -1;
    public string Size { get; set; } = "";
    public int BatchSize { get; set; } = 1;

    public JobParameters ToParameters()
    {
        var (width, height) = SizePresets.Parse(Size);
        return new JobParameters
        {
            Prompt = Prompt ?? "",
            NegativePrompt = NegativePrompt ?? "",
            Model = Model,
            Scheduler = Scheduler,
            Steps = Steps,
            Guidance = Guidance,
            Seed = Seed,
            Width = width,
            Height = height,
            BatchSize = BatchSize,
        };
    }

    public void CopyFrom(GenerationJob job)
    {
        Prompt = job.Prompt;
        NegativePrompt = job.NegativePrompt;
        Model = job.Model;
        Scheduler = job.Scheduler;
        Steps = job.Steps;
        Guidance = job.Guidance;
        Seed = job.Seed;
        Size = SizePresets.Format(job.Width, job.Height);
        BatchSize = job.BatchSize;
    }
}
