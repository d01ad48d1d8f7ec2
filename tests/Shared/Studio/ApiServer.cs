using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The whole studio on Kestrel at 127.0.0.1 (a random port), with a temporary SQLite file, image folder and the
/// tiny Stable Diffusion test model "tiny" (64×64 native) on the real ONNX engine (CPU).
/// </summary>
public class ApiServer : IAsyncLifetime
{
    public const string Model = "tiny";

    private readonly Factory _factory;
    private readonly bool _ownsFolder;

    public ApiServer()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="stepPause">A pause after every generation step, for tests that need a job to take a while.</param>
    /// <param name="sharedWith">Another server whose database, images and models this one uses: a second process.</param>
    /// <param name="services">Test replacements of the studio's services.</param>
    protected ApiServer(IDictionary<string, string?> settings, TimeSpan stepPause = default, ApiServer? sharedWith = null, Action<IServiceCollection>? services = null)
    {
        _ownsFolder = sharedWith is null;
        Folder = sharedWith?.Folder ?? Path.Combine(Path.GetTempPath(), "webstudio-api-tests", Guid.NewGuid().ToString("N"));
        var models = Path.Combine(Folder, "models");
        if (_ownsFolder)
        {
            TinyStableDiffusion.Write(Path.Combine(models, Model), TinyModelVariant.DiffusersScript);
        }

        var all = new Dictionary<string, string?>
        {
            ["Studio:DatabasePath"] = DatabasePath,
            ["Storage:ImagesPath"] = Path.Combine(Folder, "data", "images"),
            ["Generation:ModelsPath"] = models,
            ["Generation:DefaultModel"] = Model,
            ["Generation:UseCuda"] = "false",
            ["Queue:PollInterval"] = "00:00:00.200",
            ["Queue:SubmissionsPerMinute"] = "1000",
            ["Queue:MaxQueuedPerUser"] = "50",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        StudioSettings = all;
        _factory = new Factory(all, stepPause, services);
    }

    /// <summary>This server's settings, for a worker host on the same database, images and models.</summary>
    public IReadOnlyDictionary<string, string?> StudioSettings { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "data", "studio.db");

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public virtual Task InitializeAsync()
    {
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
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
            // A file still held by the host being torn down; the temp folder is cleaned eventually.
        }
    }

    /// <summary>A new user with a fresh API key.</summary>
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

    /// <summary>A plain HttpClient on the server, with <paramref name="key"/> as its bearer key when given.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private sealed class Factory(IDictionary<string, string?> settings, TimeSpan stepPause, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            if (stepPause > TimeSpan.Zero)
            {
                builder.ConfigureTestServices(services =>
                {
                    services.AddSingleton<OnnxGenerationEngine>();
                    services.AddSingleton<IGenerationEngine>(provider => new ScriptedEngine(provider.GetRequiredService<OnnxGenerationEngine>()) { StepDelay = stepPause });
                });
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
