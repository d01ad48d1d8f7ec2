using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WebStudio.Data;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Options;
using WebStudio.Studio.Storage;

namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>
/// A whole studio of child processes on one data folder (images, models with the tiny model) and one database:
/// web nodes that run no jobs and worker processes, each of which a test can kill with SIGKILL and start again (a
/// restarted web node listens on a new port). PostgreSQL with Redis, or SQLite alone (previews then travel through
/// the database).
/// </summary>
public sealed class StudioCluster : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly StudioHost?[] _web;
    private readonly StudioWorker?[] _workers;

    private StudioCluster(string? postgres, string? redis, int webNodes, int workers, IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Studio:Database"] = postgres is null ? "Sqlite" : "Postgres",
            ["Studio:ConnectionString"] = postgres,
            ["Queue:Workers"] = "1",
            ["Queue:MaxQueuedPerUser"] = "100",
        };
        if (redis is not null)
        {
            all["Redis:Configuration"] = redis;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Options = new StudioHostOptions { DataFolder = _folder.Path, RunJobs = false, Mode = StudioHostMode.ChildProcess, Settings = all };
        Options.WriteTinyModel();
        Postgres = postgres;
        _web = new StudioHost?[webNodes];
        _workers = new StudioWorker?[workers];
    }

    /// <summary>The options every process of the cluster starts with.</summary>
    public StudioHostOptions Options { get; }

    /// <summary>The PostgreSQL connection string; none on SQLite.</summary>
    public string? Postgres { get; }

    public string ImagesPath => Options.ImagesPath;

    /// <summary>Web node <paramref name="index"/> as it runs now (a restart replaces it).</summary>
    public StudioHost Web(int index) => _web[index] ?? throw new InvalidOperationException($"web node {index} is not running");

    public StudioWorker Worker(int index) => _workers[index] ?? throw new InvalidOperationException($"worker {index} is not running");

    /// <summary>The index of the running worker whose process is <paramref name="pid"/>; -1 for none.</summary>
    public int WorkerIndex(int pid) => Array.FindIndex(_workers, w => w is not null && w.Process.ProcessId == pid);

    /// <summary>Starts the first web node alone (it creates or migrates the database), then the others and the workers together.</summary>
    public static async Task<StudioCluster> StartAsync(string? postgres, string? redis, int webNodes, int workers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = new StudioCluster(postgres, redis, webNodes, workers, settings);
        try
        {
            await cluster.StartWebAsync(0);
            await Task.WhenAll(Enumerable.Range(1, webNodes - 1).Select(cluster.StartWebAsync)
                .Concat(Enumerable.Range(0, workers).Select(cluster.StartWorkerAsync)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartWebAsync(int index) => _web[index] = await StudioHost.StartAsync(Options);

    public async Task StartWorkerAsync(int index) => _workers[index] = await StudioWorker.StartAsync(Options);

    /// <summary>kill -9 of web node <paramref name="index"/>; it stays down until <see cref="StartWebAsync"/>.</summary>
    public async Task KillWebAsync(int index)
    {
        var node = Web(index);
        _web[index] = null;
        await node.KillAsync();
        await node.DisposeAsync();
    }

    /// <summary>kill -9 of worker <paramref name="index"/>; it stays down until <see cref="StartWorkerAsync"/>.</summary>
    public async Task KillWorkerAsync(int index)
    {
        var worker = Worker(index);
        _workers[index] = null;
        await worker.KillAsync();
        await worker.DisposeAsync();
    }

    /// <summary>The output of every process still running, for failure messages.</summary>
    public string Logs() => string.Join("\n", _web.Select((w, i) => $"--- web {i}\n{w?.Log}").Concat(_workers.Select((w, i) => $"--- worker {i}\n{w?.Log}")));

    /// <summary>A context on the cluster's database, from the test process.</summary>
    public StudioDbContext OpenDatabase() => new(DatabaseOptions());

    /// <summary>
    /// A user as a browser makes one: registered through the form of web node <paramref name="node"/> (its cookie
    /// works on every node: the Data Protection keys are shared), with an API key of its own.
    /// </summary>
    public async Task<ClusterUser> RegisterAsync(string name, int node)
    {
        var user = new ClusterUser(name);
        using (var http = user.Browser(Web(node)))
        {
            await StudioAccountForms.RegisterAsync(http, user.Email, ClusterUser.Password);
        }

        await using var db = OpenDatabase();
        var id = await db.Users.Where(u => u.Email == user.Email).Select(u => u.Id).SingleAsync();
        var factory = new PooledDbContextFactory<StudioDbContext>(DatabaseOptions());
        var key = await new ApiKeyService(factory, TimeProvider.System, new WebStudio.Studio.Team.TeamPolicies(factory, TimeProvider.System)).CreateAsync(id, "chaos");
        user.Signed(id, key.Key);
        return user;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Where(w => w is not null))
        {
            await worker!.DisposeAsync();
        }

        foreach (var node in _web.Where(w => w is not null))
        {
            await node!.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Postgres is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        _folder.Dispose();
    }

    /// <summary>
    /// The maintenance sweep's orphan pass (<see cref="OrphanImageSweep"/>) over the cluster's images, as any node runs
    /// it, for files last written before <paramref name="writtenBefore"/>; how many it removed.
    /// </summary>
    public Task<int> SweepOrphanImagesAsync(DateTime writtenBefore)
    {
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            ImagesPath = ImagesPath,
            OrphanImageGrace = DateTime.UtcNow - writtenBefore,
        });
        var sweep = new OrphanImageSweep(new ImageStore(storage), new PooledDbContextFactory<StudioDbContext>(DatabaseOptions()), storage,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrphanImageSweep>.Instance);
        return sweep.SweepAsync(CancellationToken.None);
    }

    private DbContextOptions<StudioDbContext> DatabaseOptions() => (DbContextOptions<StudioDbContext>)new DbContextOptionsBuilder<StudioDbContext>()
        .UseStudioDatabase(Options.Settings["Studio:Database"], Postgres, Options.DatabasePath).Options;
}
