using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebStudio.Data;
using WebStudio.Studio;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests.Infrastructure;

/// <summary>
/// The studio core (the queue and its services, no web app) on one provider's fresh, migrated database: a SQLite
/// file in a temp folder, or a new database on the assembly's PostgreSQL server. The engine is the scripted one.
/// </summary>
public sealed class StudioCore : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempFolder _folder;
    private readonly PostgresDatabase? _database;

    private StudioCore(ServiceProvider services, TempFolder folder, PostgresDatabase? database)
    {
        (_services, _folder, _database) = (services, folder, database);
    }

    public IServiceProvider Services => _services;

    public JobQueue Queue => _services.GetRequiredService<JobQueue>();

    public JobLeases Leases => _services.GetRequiredService<JobLeases>();

    /// <param name="withRunner">Registers the job runner too (<c>JobRunner</c>, for tests that run claimed jobs
    /// themselves); no worker loop starts either way.</param>
    public static async Task<StudioCore> StartAsync(string provider, PostgresServer server, IDictionary<string, string?>? settings = null, bool withRunner = false)
    {
        var folder = new TempFolder();
        var database = provider == "Postgres" ? await server.CreateDatabaseAsync() : null;
        var all = new Dictionary<string, string?>
        {
            ["Studio:Database"] = provider,
            ["Studio:ConnectionString"] = database?.ConnectionString,
            ["Studio:DatabasePath"] = folder.Combine("studio.db"),
            ["Storage:ImagesPath"] = folder.Combine("images"),
            ["Generation:ModelsPath"] = folder.Combine("models"),
            ["Generation:DefaultModel"] = "tiny",
            ["Queue:SubmissionsPerMinute"] = "100000",
            ["Queue:MaxQueuedPerUser"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var collection = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddStudioCore(configuration)
            .AddSingleton<IGenerationEngine>(new ScriptedEngine());
        var services = (withRunner ? collection.AddQueueWorkers() : collection).BuildServiceProvider();
        var core = new StudioCore(services, folder, database);
        await using var db = await core.CreateDbContextAsync();
        StudioDatabase.MigrateAndConfigure(db);
        return core;
    }

    public Task<StudioDbContext> CreateDbContextAsync() => _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();

    /// <summary>Users straight into the Identity table (the queue's rows reference them).</summary>
    public async Task<string[]> AddUsersAsync(params string[] names)
    {
        await using var db = await CreateDbContextAsync();
        var users = names.Select(n => new StudioUser { UserName = n, NormalizedUserName = n.ToUpperInvariant(), Email = $"{n}@example.test" }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users.Select(u => u.Id).ToArray();
    }

    public static JobSpec.Txt2Img Spec(string prompt) => new()
    {
        Prompt = prompt,
        Model = "tiny",
        Scheduler = "Euler a",
        Steps = 2,
        Guidance = 7,
        Seed = 1,
        Width = 64,
        Height = 64,
    };

    /// <summary>Submits through the queue and insists it was accepted.</summary>
    public async Task<GenerationJob> SubmitAsync(string userId, string prompt)
    {
        var outcome = await Queue.SubmitAsync(userId, Spec(prompt), null, JobSource.Api);
        Assert.True(outcome.Job is not null, $"'{prompt}' was refused: {outcome.Refusal} {string.Join("; ", outcome.Problems.Select(p => p.Message))}");
        return outcome.Job!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
