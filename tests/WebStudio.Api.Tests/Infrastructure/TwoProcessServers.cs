namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>Two studio processes on one database: <see cref="Web"/> answers requests but runs no jobs, and
/// <see cref="Worker"/> runs them, a step every 150 ms: a 20-step job then spans a dozen of the relay's 250 ms ticks,
/// so its previews cross between the processes even when a busy machine delays a few ticks.</summary>
public sealed class TwoProcessServers : IAsyncLifetime
{
    public ApiServer Web { get; } = new RoleServer(new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });

    public ApiServer Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Web.InitializeAsync(); // creates the database, the models and the image folder
        Worker = new RoleServer(new Dictionary<string, string?>(), TimeSpan.FromMilliseconds(150), Web);
        await Worker.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Web.DisposeAsync();
    }

    private sealed class RoleServer(IDictionary<string, string?> settings, TimeSpan stepPause = default, ApiServer? sharedWith = null)
        : ApiServer(settings, stepPause, sharedWith);
}
