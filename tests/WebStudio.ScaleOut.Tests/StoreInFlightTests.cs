using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The store off the hand-over path: a worker claims and starts its next job as soon as a generation ends, while the
/// previous result is stored beside it (one store in flight a worker loop). A job is completed for its owner only once
/// its store commits; a failed store fails its own job only; a shutdown waits for the store; a store whose claim was
/// lost is refused. On SQLite and PostgreSQL, with one worker loop and the image store's writes held at a gate.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class StoreInFlightTests(PostgresServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_next_job_starts_while_the_previous_result_is_still_being_stored_and_a_third_waits_for_that_store(string provider)
    {
        await using var studio = await Studio.StartAsync(provider, server);
        studio.Images.Hold("first");
        var first = await studio.SubmitAsync("first");
        await studio.Images.Waiting("first").WaitAsync(Patience);
        var second = await studio.SubmitAsync("second");
        var third = await studio.SubmitAsync("third");

        // The second job ran while the first one's images were still being written.
        await Poll.UntilAsync(() => studio.Engine.Finished.Contains("second"), "the second job to run while the first one's result is stored", Patience);
        // Its own store waits for the first one's (one store in flight), and the loop waits with it: the third job
        // does not run meanwhile.
        await Task.Delay(300);
        Assert.DoesNotContain("third", studio.Engine.Started);
        Assert.Equal(JobStatus.Running, (await studio.JobAsync(first)).Status); // not completed for its owner before its store commits
        Assert.Empty((await studio.JobAsync(first)).Images);
        Assert.Equal(JobStatus.Running, (await studio.JobAsync(second)).Status);

        studio.Images.Release("first");
        foreach (var id in new[] { first, second, third })
        {
            var job = await studio.WaitForEndAsync(id);
            Assert.Equal(JobStatus.Succeeded, job.Status);
            Assert.Single(job.Images);
            Assert.NotNull(studio.Host.Get<ImageStore>().Resolve(job.Images.Single().FileName));
        }

        Assert.Equal(["first", "second", "third"], studio.Engine.Started.ToArray());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_failed_store_fails_only_its_own_job_with_a_clear_reason(string provider)
    {
        await using var studio = await Studio.StartAsync(provider, server);
        studio.Images.Break("disk full");
        var broken = await studio.SubmitAsync("disk full", batch: 2);
        var fine = await studio.SubmitAsync("fine");

        var failed = await studio.WaitForEndAsync(broken);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal($"the job's images were made but could not be saved on the server; the administrator can find the details in the log (ref {broken})", failed.FailureReason);
        Assert.Empty(failed.Images);
        var stored = await studio.WaitForEndAsync(fine);
        Assert.Equal(JobStatus.Succeeded, stored.Status);
        Assert.Equal(stored.Images.Select(i => i.FileName), studio.ImageFiles()); // nothing of the failed job on disk
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_shutdown_waits_for_the_result_being_stored_and_keeps_it(string provider)
    {
        var studio = await Studio.StartAsync(provider, server);
        await using (studio)
        {
            studio.Images.Hold("stored at shutdown");
            var id = await studio.SubmitAsync("stored at shutdown");
            await studio.Images.Waiting("stored at shutdown").WaitAsync(Patience);

            var stopping = studio.Host.DisposeAsync().AsTask();
            await Task.Delay(500);
            Assert.False(stopping.IsCompleted, "the studio stopped before the result being stored was written");
            studio.Images.Release("stored at shutdown");
            await stopping.WaitAsync(Patience);

            await using var db = studio.OpenDatabaseAfterwards();
            var job = await db.Jobs.AsNoTracking().Include(j => j.Images).SingleAsync(j => j.Id == id);
            Assert.Equal(JobStatus.Succeeded, job.Status);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(job.Images.Select(i => i.FileName), studio.ImageFiles());
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_store_whose_claim_was_lost_meanwhile_is_refused_and_leaves_no_files(string provider)
    {
        await using var studio = await Studio.StartAsync(provider, server);
        studio.Images.Hold("taken");
        var id = await studio.SubmitAsync("taken", batch: 2);
        await studio.Images.Waiting("taken").WaitAsync(Patience);
        await using (var db = studio.Host.OpenDatabase())
        {
            // Another worker holds the job now (as after a lease lost to a network cut), for a long lease.
            Assert.Equal(1, await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.ClaimToken, j => j.ClaimToken + 1)
                .SetProperty(j => j.WorkerId, "elsewhere/1/thief#0")
                .SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddHours(1))));
        }

        studio.Images.Release("taken");
        var next = await studio.SubmitAsync("after");
        Assert.Equal(JobStatus.Succeeded, (await studio.WaitForEndAsync(next)).Status); // the refused store ended: the loop went on

        var job = await studio.JobAsync(id);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("elsewhere/1/thief#0", job.WorkerId);
        Assert.Null(job.FinishedAt);
        Assert.Empty(job.Images);
        Assert.Equal((await studio.JobAsync(next)).Images.Select(i => i.FileName), studio.ImageFiles());
    }

    /// <summary>The whole studio in process on one provider, one worker loop, the scripted engine, the gated image store.</summary>
    private sealed class Studio : IAsyncDisposable
    {
        private readonly TempFolder _folder;
        private readonly PostgresDatabase? _database;
        private readonly string _userId;

        private Studio(StudioHost host, TempFolder folder, PostgresDatabase? database, string userId)
        {
            (Host, _folder, _database, _userId) = (host, folder, database, userId);
        }

        public StudioHost Host { get; }

        public ScriptedEngine Engine => Host.Scripted;

        public GatedImageStore Images => (GatedImageStore)Host.Get<ImageStore>();

        public static async Task<Studio> StartAsync(string provider, PostgresServer server)
        {
            var folder = new TempFolder();
            var database = provider == "Postgres" ? await server.CreateDatabaseAsync() : null;
            var host = StudioHost.Create(new StudioHostOptions
            {
                DataFolder = folder.Path,
                Engine = new ScriptedEngine(),
                TinyModel = null,
                Services = services => services.AddSingleton<ImageStore, GatedImageStore>(),
                Settings = new Dictionary<string, string?>
                {
                    ["Studio:Database"] = provider,
                    ["Studio:ConnectionString"] = database?.ConnectionString,
                    ["Queue:Workers"] = "1",
                },
            });
            var (userId, _) = await host.CreateUserWithKeyAsync("alice");
            return new Studio(host, folder, database, userId);
        }

        public async Task<Guid> SubmitAsync(string prompt, int batch = 1)
        {
            var outcome = await Host.Get<JobQueue>().SubmitAsync(_userId, StudioCore.Spec(prompt) with { BatchSize = batch }, null, JobSource.Api);
            return Assert.IsType<GenerationJob>(outcome.Job).Id;
        }

        public async Task<GenerationJob> JobAsync(Guid id)
        {
            await using var db = Host.OpenDatabase();
            return await db.Jobs.AsNoTracking().Include(j => j.Images).SingleAsync(j => j.Id == id);
        }

        public async Task<GenerationJob> WaitForEndAsync(Guid id)
        {
            GenerationJob? job = null;
            await Poll.UntilAsync(async () => (job = await JobAsync(id)).Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled,
                $"job {id} to end", Patience);
            return job!;
        }

        /// <summary>The PNGs on disk, relative to the images folder, as image rows name them.</summary>
        public List<string> ImageFiles()
        {
            var root = Host.ImagesPath;
            return Directory.Exists(root)
                ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
                : [];
        }

        /// <summary>The database, from outside the studio (after it stopped).</summary>
        public StudioDbContext OpenDatabaseAfterwards()
        {
            var options = new DbContextOptionsBuilder<StudioDbContext>();
            options.UseStudioDatabase(_database is null ? "Sqlite" : "Postgres", _database?.ConnectionString, Host.DatabasePath);
            return new StudioDbContext(options.Options);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _folder.Dispose();
        }
    }
}
