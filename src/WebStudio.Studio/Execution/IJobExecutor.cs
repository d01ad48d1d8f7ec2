using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Execution;

/// <summary>Runs the jobs of the kinds it is registered for (<see cref="JobExecutors"/>), reporting every step.</summary>
public interface IJobExecutor
{
    /// <param name="inputs">The edit's prepared pixels, owned by the caller; null for text-to-image.</param>
    /// <param name="onStep">Called after every step; false (or the token) stops the run within one step.</param>
    Task<IReadOnlyList<EngineImage>> RunAsync(JobSpec spec, JobInputs? inputs, int width, int height,
        Func<EngineStep, bool> onStep, CancellationToken cancellationToken);

    /// <summary>How long the model <paramref name="spec"/> runs on took to load, while it is loaded; null when it is
    /// not, or the kind needs none.</summary>
    TimeSpan? ModelLoadTime(JobSpec spec) => null;
}
