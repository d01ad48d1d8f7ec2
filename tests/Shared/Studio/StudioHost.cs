using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Engine;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The one way the tests host the studio's web app: on a free 127.0.0.1 port, in the test process
/// (WebApplicationFactory on Kestrel) or as a child process (`dotnet src/WebStudio.Web/bin/…/WebStudio.Web.dll`),
/// from one <see cref="StudioHostOptions"/>. As a class fixture it starts in InitializeAsync; in process it also
/// starts on first use of <see cref="BaseAddress"/> or <see cref="Services"/>. <see cref="StudioWorker"/> hosts the
/// worker the same way, and several hosts on one data folder share its database, images and models.
/// </summary>
public class StudioHost : IAsyncLifetime, IAsyncDisposable, IDisposable
{
    /// <summary>The tiny model's name, the default model of a test studio.</summary>
    public const string Model = StudioHostOptions.TinyModelName;

    /// <summary>The line the web app prints once it listens.</summary>
    public const string RunningLine = "WebStudio is running at";

    private readonly bool _ownsFolder;
    private Factory? _factory;
    private ChildProcess? _child;
    private Uri? _baseAddress;

    public StudioHost()
        : this(new StudioHostOptions())
    {
    }

    /// <summary>An in-process host on a folder of its own, with <paramref name="settings"/> over the defaults.</summary>
    protected StudioHost(IReadOnlyDictionary<string, string?> settings)
        : this(new StudioHostOptions { Settings = settings })
    {
    }

    // Protected: a class fixture may have one public constructor only (xUnit); others use Create or StartAsync.
    protected StudioHost(StudioHostOptions options)
    {
        _ownsFolder = options.DataFolder is null;
        Options = options with { DataFolder = options.DataFolder ?? Path.Combine(Path.GetTempPath(), "webstudio-tests", Guid.NewGuid().ToString("N")) };
        Directory.CreateDirectory(Folder);
        Options.WriteTinyModel();
        var settings = Options.Configuration();
        StudioSettings = settings;
        if (Options.Mode == StudioHostMode.InProcess)
        {
            _factory = new Factory(settings, Options.ReplaceServices);
        }
    }

    /// <summary>A host not started yet: in process it starts on first use, else in InitializeAsync.</summary>
    public static StudioHost Create(StudioHostOptions options) => new(options);

    /// <summary>A started host: in process, or a child process once it answers.</summary>
    public static async Task<StudioHost> StartAsync(StudioHostOptions options)
    {
        var host = new StudioHost(options);
        try
        {
            await host.InitializeAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>This host's options, with its data folder; a worker or second node on <c>Options with { … }</c> shares its data.</summary>
    public StudioHostOptions Options { get; }

    /// <summary>This host's whole configuration (defaults and overrides).</summary>
    public IReadOnlyDictionary<string, string?> StudioSettings { get; }

    public string Folder => Options.DataFolder!;

    public string DatabasePath => Options.DatabasePath;

    public string ImagesPath => Options.ImagesPath;

    public string ModelsPath => Options.ModelsPath;

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public Uri BaseAddress => _baseAddress ?? StartInProcess();

    /// <summary>The app's services (in process only).</summary>
    public IServiceProvider Services
    {
        get
        {
            _ = BaseAddress;
            return _factory?.Services ?? throw new InvalidOperationException("A child-process studio has no services in the test process.");
        }
    }

    /// <summary>The engine given in the options.</summary>
    public IGenerationEngine Engine => Options.Engine ?? throw new InvalidOperationException("This host runs the real engine.");

    public ScriptedEngine Scripted => (ScriptedEngine)Engine;

    /// <summary>The child process (its log, SIGTERM, SIGKILL, exit); child-process hosts only.</summary>
    public ChildProcess Process => _child ?? throw new InvalidOperationException("An in-process studio has no process of its own.");

    /// <summary>The child process's console output, for failure messages; empty in process.</summary>
    public string Log => _child?.Log ?? "";

    /// <summary>SIGTERM, as a service manager stops the studio (child process only).</summary>
    public void Terminate() => Process.Terminate();

    /// <summary>SIGKILL (kill -9): the studio dies without running any shutdown code, like a crash (child process only).</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <returns>false when the studio is still running after <paramref name="timeout"/> (child process only).</returns>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => Process.WaitForExitAsync(timeout);

    public bool HasExited => Process.HasExited;

    public int ExitCode => Process.ExitCode;

    public virtual async Task InitializeAsync()
    {
        if (Options.Mode == StudioHostMode.InProcess)
        {
            StartInProcess();
            return;
        }

        var address = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        var start = ChildProcess.StartInfo(ChildProcess.ProjectDll("WebStudio.Web", typeof(StudioHost).Assembly), ChildSettings(StudioSettings, address), [], Folder);
        _child = await ChildProcess.StartAsync(start, RunningLine);
        _baseAddress = address;
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Runs a command of the web app (e.g. `create-api-key --user NAME`) on this host's configuration; returns its stdout.</summary>
    public async Task<string> RunCommandAsync(params string[] arguments)
    {
        var start = ChildProcess.StartInfo(ChildProcess.ProjectDll("WebStudio.Web", typeof(StudioHost).Assembly), ChildSettings(StudioSettings, null), arguments, Folder);
        var (exitCode, output, errors) = await ChildProcess.RunAsync(start);
        Assert.True(exitCode == 0, $"{string.Join(' ', arguments)} exited with {exitCode}: {errors}");
        return output;
    }

    /// <summary>A new user with a fresh API key (in process).</summary>
    public async Task<(string UserId, string Key)> CreateUserWithKeyAsync(string name)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var user = new StudioUser { UserName = $"{name}@example.test", Email = $"{name}@example.test" };
        var result = await users.CreateAsync(user, "Passw0rd-test");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        var key = await Services.GetRequiredService<ApiKeyService>().CreateAsync(user.Id, "tests");
        return (user.Id, key.Key);
    }

    /// <summary>A new user with a working API key and a revoked one (in process).</summary>
    public async Task<(string UserId, string Key, string RevokedKey)> CreateUserWithRevokedKeyAsync(string name)
    {
        var (userId, key) = await CreateUserWithKeyAsync(name);
        var keys = Services.GetRequiredService<ApiKeyService>();
        var revoked = await keys.CreateAsync(userId, "old");
        Assert.True(await keys.RevokeAsync(userId, revoked.Row.Id));
        return (userId, key, revoked.Key);
    }

    /// <summary>A plain HttpClient on the server, with <paramref name="key"/> as its bearer key when given.</summary>
    public HttpClient Client(string? key) => WithKey(new HttpClient(), key);

    /// <summary>
    /// An API client that behaves as one that goes away: a response it drops unread closes the connection. The
    /// default handler would instead read on (up to 1 MB, for 2 s) to keep the connection for reuse, and a stream
    /// that ended meanwhile would have been read to its end, its client never seen to leave.
    /// </summary>
    public HttpClient DroppingClient(string key) => WithKey(new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }), key);

    private HttpClient WithKey(HttpClient client, string? key)
    {
        client.BaseAddress = BaseAddress;
        client.Timeout = TimeSpan.FromMinutes(2);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A browser-like client: it keeps <paramref name="cookies"/> and does not follow redirects.</summary>
    public HttpClient CookieClient(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>A context on the studio's database, whichever process serves it.</summary>
    public StudioDbContext OpenDatabase() => _factory is not null
        ? Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext()
        : new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite(StudioDatabase.ConnectionString(DatabasePath)).Options);

    /// <summary>A job's row as stored, with its images.</summary>
    public async Task<GenerationJob> StoredJobAsync(Guid jobId)
    {
        await using var db = OpenDatabase();
        return await db.Jobs.AsNoTracking().Include(j => j.Images).SingleAsync(j => j.Id == jobId);
    }

    /// <summary>A service of the app (in process).</summary>
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_child is not null)
        {
            await _child.DisposeAsync();
        }

        DeleteFolder();
        GC.SuppressFinalize(this);
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _child?.Dispose();
        DeleteFolder();
        GC.SuppressFinalize(this);
    }

    /// <summary>The settings as a child process gets them: its own environment and address, and Production like a real install.</summary>
    internal static Dictionary<string, string?> ChildSettings(IReadOnlyDictionary<string, string?> settings, Uri? address)
    {
        var all = new Dictionary<string, string?>(settings) { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" };
        if (address is not null)
        {
            all["Urls"] = address.ToString().TrimEnd('/');
        }

        return all;
    }

    private Uri StartInProcess()
    {
        if (_factory is null)
        {
            throw new InvalidOperationException("A child-process studio starts in InitializeAsync or StartAsync.");
        }

        lock (_factory)
        {
            if (_baseAddress is null)
            {
                _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
                _factory.StartServer();
                _baseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            }

            return _baseAddress;
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + ChildProcess.StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/Account/Login");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // Kestrel not listening yet, or a first page slower than the request's timeout on a loaded machine.
            }

            Assert.True(DateTime.UtcNow < deadline, $"The studio never answered /Account/Login. Its output:\n{Log}");
            await Task.Delay(100);
        }
    }

    private void DeleteFolder()
    {
        // Pooled connections of a test's own checks would keep the database file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a host being torn down; the temp folder is cleaned eventually.
        }
    }

    private sealed class Factory(IDictionary<string, string?> settings, Action<IServiceCollection> replace) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");

            // Host settings reach Program before its services are registered (Redis and SignalR's backplane are
            // chosen there); the app configuration below wins afterwards, as before.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(replace);
        }
    }
}
