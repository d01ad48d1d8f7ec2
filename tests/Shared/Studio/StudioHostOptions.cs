using Microsoft.Extensions.DependencyInjection;
using WebStudio.Studio.Engine;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Tests.Shared;

/// <summary>How a test studio runs: in the test process or as a child process.</summary>
public enum StudioHostMode
{
    /// <summary>WebApplicationFactory on Kestrel (or the worker's Generic Host) in the test process: its services can be replaced and read.</summary>
    InProcess,

    /// <summary>`dotnet WebStudio.Web.dll` (or WebStudio.Worker.dll) from the project's own build output, configured through environment variables.</summary>
    ChildProcess,
}

/// <summary>
/// Everything that sets up one studio node of a test, web or worker. Several hosts on one <see cref="DataFolder"/>
/// share its database, images and models, as the nodes of one studio do; any configuration key can be added
/// (<see cref="Settings"/> win over the defaults here, e.g. Studio:ConnectionString for another database).
/// </summary>
public sealed record StudioHostOptions
{
    /// <summary>The model the defaults point at: the tiny Stable Diffusion test model (64×64 native).</summary>
    public const string TinyModelName = "tiny";

    public StudioHostMode Mode { get; init; } = StudioHostMode.InProcess;

    /// <summary>The folder of the database (studio.db), the images and, by default, the models. None: a temporary folder the host deletes at the end.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Generation:ModelsPath. None: DataFolder/models.</summary>
    public string? ModelsFolder { get; init; }

    /// <summary>The variant of the tiny model written as "tiny" into the models folder when not there yet; none to write no model.</summary>
    public TinyModelVariant? TinyModel { get; init; } = TinyModelVariant.DiffusersScript;

    /// <summary>Queue:RunJobs of a web node; a worker node always runs jobs.</summary>
    public bool RunJobs { get; init; } = true;

    /// <summary>Configuration keys on top of the defaults, in appsettings form ("Queue:Workers" = "2").</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>In process only: the engine the node runs jobs on, instead of the real one.</summary>
    public IGenerationEngine? Engine { get; init; }

    /// <summary>In process only: a pause after every step of the real engine, for tests that need a job to take a while.</summary>
    public TimeSpan StepPause { get; init; }

    /// <summary>In process only: further replacements of the studio's services.</summary>
    public Action<IServiceCollection>? Services { get; init; }

    public string DatabasePath => Path.Combine(Folder, "studio.db");

    public string ImagesPath => Path.Combine(Folder, "images");

    public string ModelsPath => ModelsFolder ?? Path.Combine(Folder, "models");

    private string Folder => DataFolder ?? throw new InvalidOperationException("The options have no data folder yet.");

    /// <summary>The node's whole configuration: the test defaults, then <see cref="Settings"/>.</summary>
    public Dictionary<string, string?> Configuration()
    {
        var all = new Dictionary<string, string?>
        {
            ["Studio:DatabasePath"] = DatabasePath,
            ["Storage:ImagesPath"] = ImagesPath,
            ["Generation:ModelsPath"] = ModelsPath,
            ["Generation:DefaultModel"] = TinyModelName,
            ["Generation:UseCuda"] = "false",
            ["Queue:RunJobs"] = RunJobs ? "true" : "false",
            ["Queue:PollInterval"] = "00:00:00.200",
            ["Queue:SubmissionsPerMinute"] = "1000",
            ["Queue:MaxQueuedPerUser"] = "50",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Settings)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>These options on <paramref name="settings"/> more (they win over the ones already there).</summary>
    public StudioHostOptions With(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var all = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return this with { Settings = all };
    }

    /// <summary>The in-process replacements: the given engine or the slowed real one, then <see cref="Services"/>.</summary>
    public void ReplaceServices(IServiceCollection services)
    {
        if (Mode != StudioHostMode.InProcess && (Engine is not null || StepPause > TimeSpan.Zero || Services is not null))
        {
            throw new InvalidOperationException("A child process takes configuration only: no engine, step pause or services.");
        }

        if (Engine is not null)
        {
            services.AddSingleton(Engine);
        }
        else if (StepPause > TimeSpan.Zero)
        {
            services.AddSingleton<OnnxGenerationEngine>();
            services.AddSingleton<IGenerationEngine>(provider => new ScriptedEngine(provider.GetRequiredService<OnnxGenerationEngine>()) { StepDelay = StepPause });
        }

        Services?.Invoke(services);
    }

    /// <summary>Writes the tiny model when asked for and not there yet (a second node on the same folder finds it).</summary>
    internal void WriteTinyModel()
    {
        var folder = Path.Combine(ModelsPath, TinyModelName);
        if (TinyModel is { } variant && !File.Exists(Path.Combine(folder, "model_index.json")))
        {
            TinyStableDiffusion.Write(folder, variant);
        }
    }
}
