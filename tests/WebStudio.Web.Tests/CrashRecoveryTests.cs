using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests;

/// <summary>The server as a separate process, killed with SIGKILL mid-job and started again.</summary>
public sealed class CrashRecoveryTests(TinyModelFolders model) : IClassFixture<TinyModelFolders>
{
    [Fact]
    public async Task After_sigkill_mid_job_every_job_finishes_and_the_database_is_intact()
    {
        using var folder = new TempFolder();
        var dbPath = Path.Combine(folder.Path, "studio.db");

        var first = await StartServerAsync(folder);
        try
        {
            var ids = await QueueJobsAsync(dbPath, 3);
            await WaitAsync(dbPath, db => db.Jobs.AnyAsync(j => j.Status == JobStatus.Running), "no job started");
            await first.KillAsync(); // SIGKILL: no shutdown code runs

            await using (var db = Open(dbPath))
            {
                Assert.Equal(1, await db.Jobs.CountAsync(j => j.Status == JobStatus.Running));
                Assert.Equal(3, await db.Jobs.CountAsync());
            }

            var second = await StartServerAsync(folder);
            try
            {
                await WaitAsync(dbPath, async db => await db.Jobs.CountAsync(j => j.Status == JobStatus.Succeeded) == 3, "not every job finished after the restart");
            }
            finally
            {
                await second.DisposeAsync();
            }

            await using var check = Open(dbPath);
            var jobs = await check.Jobs.Include(j => j.Images).Where(j => ids.Contains(j.Id)).ToListAsync();
            Assert.Contains(jobs, j => j.Attempts == 2);
            Assert.All(jobs, j => Assert.Single(j.Images));
            Assert.All(jobs.SelectMany(j => j.Images), i => Assert.True(File.Exists(Path.Combine(folder.Path, "images", i.FileName))));
            await check.Database.OpenConnectionAsync();
            await using var command = check.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await command.ExecuteScalarAsync());
        }
        finally
        {
            await first.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    // The studio as a child process on the test's folder, serving the tiny model of the class fixture.
    private Task<StudioHost> StartServerAsync(TempFolder folder) => StudioHost.StartAsync(new StudioHostOptions
    {
        Mode = StudioHostMode.ChildProcess,
        DataFolder = folder.Path,
        ModelsFolder = model.ModelsPath,
        TinyModel = null,
    });

    private static async Task<List<Guid>> QueueJobsAsync(string dbPath, int count)
    {
        // The server migrates the database at start-up; wait for the schema, then queue jobs as the studio would.
        // Every migration, not the first: the jobs' Spec column comes with the last one.
        await WaitAsync(dbPath, async db => !(await db.Database.GetPendingMigrationsAsync()).Any(), "the server never migrated the database");
        await using var db = Open(dbPath);
        var user = new StudioUser { UserName = "crash@example.test", Email = "crash@example.test", NormalizedUserName = "CRASH@EXAMPLE.TEST" };
        db.Users.Add(user);
        var jobs = Enumerable.Range(0, count).Select(i =>
        {
            var job = new GenerationJob { OwnerId = user.Id, Width = 64, Height = 64, CreatedAt = DateTime.UtcNow.AddMilliseconds(i) };
            JobSpecJson.Store(job, new JobSpec.Txt2Img { Prompt = $"crash {i}", Model = "tiny", Scheduler = "Euler", Steps = 150, Seed = i, Width = 64, Height = 64 });
            return job;
        }).ToList();
        db.Jobs.AddRange(jobs);
        await db.SaveChangesAsync();
        return jobs.Select(j => j.Id).ToList();
    }

    private static StudioDbContext Open(string dbPath)
    {
        // The studio's own options, so that the migrations assembly (and so the pending migrations) are known.
        var options = new DbContextOptionsBuilder<StudioDbContext>();
        options.UseStudioSqlite(StudioDatabase.ConnectionString(dbPath));
        return new StudioDbContext(options.Options);
    }

    private static async Task WaitAsync(string dbPath, Func<StudioDbContext, Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(dbPath))
            {
                try
                {
                    await using var db = Open(dbPath);
                    if (await condition(db))
                    {
                        return;
                    }
                }
                catch (SqliteException)
                {
                    // Schema not there yet.
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail(failure);
    }
}
