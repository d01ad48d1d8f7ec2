using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The real engine, slowed as a test needs: runs can wait at their start until <see cref="Release"/>, pause
/// <see cref="StepDelay"/> after each step (on the generation thread, where a slower model spends its time), and wait
/// for a watcher to receive each step's frame (<see cref="Pace"/>). A warm tiny model otherwise finishes a whole run
/// in a few milliseconds, before a watcher attaches or a dropped connection is noticed. Compiled into the test
/// assemblies that reference the web project.
/// </summary>
public sealed class SteppedEngine(IGenerationEngine inner, bool held = false) : IGenerationEngine
{
    private readonly TaskCompletionSource _released = NewGate(held);

    public TimeSpan StepDelay { get; set; }

    /// <summary>When set, each step also waits for the watcher to receive a frame.</summary>
    public WatcherPace? Pace { get; set; }

    public int DeviceCount => inner.DeviceCount;

    public IReadOnlyList<string> Schedulers => inner.Schedulers;

    /// <summary>Lets held runs start.</summary>
    public void Release() => _released.TrySetResult();

    public string DescribeExecutionProvider() => inner.DescribeExecutionProvider();

    public IReadOnlyList<EngineModel> Models() => inner.Models();

    public IReadOnlyList<FieldProblem> Validate(JobParameters parameters) => inner.Validate(parameters);

    public PromptLength? MeasurePrompt(string model, string prompt, int steps) => inner.MeasurePrompt(model, prompt, steps);

    public async Task<IReadOnlyList<EngineImage>> RunAsync(JobParameters parameters, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        await _released.Task.WaitAsync(cancellationToken);
        return await inner.RunAsync(parameters, step =>
        {
            var go = onStep(step);
            Pace?.WaitForWatcher(cancellationToken);
            Thread.Sleep(StepDelay);
            return go;
        }, cancellationToken);
    }

    private static TaskCompletionSource NewGate(bool held)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!held)
        {
            gate.SetResult();
        }

        return gate;
    }
}
