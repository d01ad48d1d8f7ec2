using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>
/// The studio in-process, on a temporary SQLite file and image folder of its own (or shared, to run two hosts on
/// one database), with the scripted engine unless a test provides another.
/// </summary>
public sealed class StudioFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public StudioFactory(TempFolder folder, IGenerationEngine? engine = null, IDictionary<string, string?>? settings = null)
    {
        Folder = folder;
        Engine = engine ?? new ScriptedEngine();
        _settings = new Dictionary<string, string?>
        {
            ["Studio:DatabasePath"] = Path.Combine(folder.Path, "studio.db"),
            ["Storage:ImagesPath"] = Path.Combine(folder.Path, "images"),
            ["Generation:ModelsPath"] = Path.Combine(folder.Path, "models"),
            ["Generation:DefaultModel"] = "tiny",
            ["Queue:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TempFolder Folder { get; }

    /// <summary>This host's settings, for a worker host on the same database, images and models.</summary>
    public IReadOnlyDictionary<string, string?> StudioSettings => _settings;

    public IGenerationEngine Engine { get; }

    public ScriptedEngine Scripted => (ScriptedEngine)Engine;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services => services.AddSingleton(Engine));
    }
}
