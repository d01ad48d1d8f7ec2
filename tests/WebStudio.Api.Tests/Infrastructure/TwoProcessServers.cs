namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>Two studio processes on one database: <see cref="Web"/> answers requests but runs no jobs, and
/// <see cref="Worker"/>, the worker host, runs them, a step every 150 ms: a 40-step job then spans two dozen of the
/// relay's 250 ms ticks, so its previews cross between the processes even when a busy machine delays the ticks by
/// seconds (a 20-step job once got none in a full test run on two cores).</summary>
public sealed class TwoProcessServers : IAsyncLifetime
{
    public StudioHost Web { get; } = StudioHost.Create(new StudioHostOptions { RunJobs = false });

    public StudioWorker Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Web.InitializeAsync(); // creates the database, the models and the image folder
        Worker = await StudioWorker.StartAsync(Web.Options with { StepPause = TimeSpan.FromMilliseconds(150) });
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Web.DisposeAsync();
    }
}
