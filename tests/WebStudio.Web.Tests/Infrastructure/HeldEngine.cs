using WebStudio.Web.Engine;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>A real engine whose runs wait at their start until <see cref="Release"/>, and pause
/// <see cref="StepDelay"/> after each step, so a test can watch a tiny model that would otherwise finish in a few
/// milliseconds (a watcher gets the newest frame only, so a run faster than a frame's trip shows one picture).</summary>
public sealed class HeldEngine(IGenerationEngine inner) : IGenerationEngine
{
    public TimeSpan StepDelay { get; set; }

    /// <summary>When set, each step also waits for the watcher to receive a frame.</summary>
    public WatcherPace? Pace { get; set; }

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int DeviceCount => inner.DeviceCount;

    public IReadOnlyList<string> Schedulers => inner.Schedulers;

    public void Release() => _released.TrySetResult();

    public string DescribeExecutionProvider() => inner.DescribeExecutionProvider();

    public IReadOnlyList<EngineModel> Models() => inner.Models();

    public IReadOnlyList<FieldProblem> Validate(JobParameters parameters) => inner.Validate(parameters);

    public async Task<IReadOnlyList<EngineImage>> RunAsync(JobParameters parameters, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        await _released.Task.WaitAsync(cancellationToken);
        return await inner.RunAsync(parameters, step =>
        {
            var go = onStep(step);
            Pace?.WaitForWatcher(cancellationToken);
            Thread.Sleep(StepDelay); // on the generation thread, as a slower model would be
            return go;
        }, cancellationToken);
    }
}
