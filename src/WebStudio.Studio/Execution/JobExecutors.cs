using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Execution;

/// <summary>The executor of each job kind, chosen by the spec's type: one line per kind.</summary>
public sealed class JobExecutors(DiffusionExecutor diffusion, UpscaleRunner upscale)
{
    public IJobExecutor For(JobSpec spec) => spec switch
    {
        JobSpec.Diffusion => diffusion,
        JobSpec.Upscale => upscale,
        _ => throw new NotSupportedException($"No executor runs {spec.GetType().Name} jobs."),
    };
}
