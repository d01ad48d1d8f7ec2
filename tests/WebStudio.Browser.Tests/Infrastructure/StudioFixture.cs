namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>
/// One studio server (built-in model when it is in the repository, else the tiny test model) and one headless
/// chromium for a test class. The first account is the administrator, so the fixture registers one first: the
/// tests' own accounts are then ordinary users.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public StudioSandbox Sandbox { get; } = new();

    public StudioHost Server { get; private set; } = null!;

    public BrowserSession Browser { get; private set; } = null!;

    public string ModelName { get; private set; } = "";

    public int ModelSize { get; private set; }

    /// <summary>
    /// Steps, image size and batch count of a job that runs for several seconds on CPU, long enough to watch its
    /// previews and to open a second tab mid-run: the built-in model needs far fewer steps than the tiny one. A
    /// batch of 2 finished before the second tab's circuit came up on a fresh CI machine, so it takes the most (8).
    /// </summary>
    public (int Steps, int Size, int Batch) LongJob { get; private set; }

    public async Task InitializeAsync()
    {
        (ModelName, ModelSize) = Sandbox.UseBuiltInModelOrTiny();
        LongJob = ModelName == StudioSandbox.TinyModelName ? (150, ModelSize * 2, 4) : (150, ModelSize, 8);
        Server = await StudioHost.StartAsync(Sandbox.Options());
        using var admin = await StudioHttpUser.RegisterAsync(Server, AdminEmail);
        Browser = await BrowserSession.LaunchAsync();
    }

    /// <summary>The administrator's account (password <see cref="StudioHttpUser.Password"/>).</summary>
    public const string AdminEmail = "admin@browser.test";

    /// <summary>A fresh e-mail address for one test's account.</summary>
    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@browser.test";

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

        Sandbox.Dispose();
    }
}
