using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>
/// A browser test class with a studio of its own (a fresh database on the tiny model) and a browser, for tests that
/// need to know who the first account is: it becomes the administrator. Started before the class's test, stopped after.
/// </summary>
public abstract class OwnStudioTest : IAsyncLifetime
{
    private readonly StudioSandbox _sandbox = new();

    protected StudioHost Server { get; private set; } = null!;

    protected BrowserSession Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sandbox.AddTinyModel(TinyModelVariant.DiffusersScript);
        Server = await StudioHost.StartAsync(_sandbox.Options(new Dictionary<string, string?> { ["Generation:DefaultModel"] = StudioSandbox.TinyModelName }));
        await OnStartedAsync();
        Browser = await BrowserSession.LaunchAsync();
    }

    /// <summary>Set-up once the studio runs, before the browser starts (accounts made over HTTP, say).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _sandbox.Dispose();
    }
}
