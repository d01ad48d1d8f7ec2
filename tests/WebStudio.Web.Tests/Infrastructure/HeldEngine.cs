using WebStudio.Web.Engine;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>A real engine whose runs wait at their start until <see cref="Release"/>, so a test can attach a watcher
/// before a fast model has finished.</summary>
public sealed class HeldEngine(IGenerationEngine inner) : IGenerationEngine
{
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
        return await inner.RunAsync(parameters, onStep, cancellationToken);
    }
}
