using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Execution;

/// <summary>Every diffusion kind: the spec and its prepared pixels go to the engine as one run.</summary>
public sealed class DiffusionExecutor(IGenerationEngine engine) : IJobExecutor
{
    public Task<IReadOnlyList<EngineImage>> RunAsync(JobSpec spec, JobInputs? inputs, int width, int height,
        Func<EngineStep, bool> onStep, CancellationToken cancellationToken) =>
        engine.RunAsync(new DiffusionRun((JobSpec.Diffusion)spec, width, height, inputs?.Image, inputs?.Mask), onStep, cancellationToken);

    public TimeSpan? ModelLoadTime(JobSpec spec) => engine.LoadTimeOf(((JobSpec.Diffusion)spec).Model);
}
