using WebStudio.Web.Engine;

namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>The real engine with a pause after every step, as a slower model would have: a warm tiny model finishes a
/// whole run before a dropped connection is even noticed, and tests about dropping mid-run need a run to drop.</summary>
public sealed class PacedEngine(IGenerationEngine inner, TimeSpan pause) : IGenerationEngine
{
    public int DeviceCount => inner.DeviceCount;

    public IReadOnlyList<string> Schedulers => inner.Schedulers;

    public string DescribeExecutionProvider() => inner.DescribeExecutionProvider();

    public IReadOnlyList<EngineModel> Models() => inner.Models();

    public IReadOnlyList<FieldProblem> Validate(JobParameters parameters) => inner.Validate(parameters);

    public Task<IReadOnlyList<EngineImage>> RunAsync(JobParameters parameters, Func<EngineStep, bool> onStep, CancellationToken cancellationToken) =>
        inner.RunAsync(parameters, step =>
        {
            var go = onStep(step);
            Thread.Sleep(pause); // on the generation thread, where a slower model spends its time
            return go;
        }, cancellationToken);
}

/// <summary>An <see cref="ApiServer"/> whose engine takes 100 ms a step.</summary>
public sealed class PacedApiServer() : ApiServer(new Dictionary<string, string?>(), TimeSpan.FromMilliseconds(100));
