using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Execution;
using WebStudio.Studio.History;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Studio.Usage;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests.TeamAdmin;

/// <summary>
/// Usage is kept in usage records written as each job ends, on both providers: every way a started job ends writes
/// one, deleting the job (and sweeping it) or its account leaves it, the daily quota counts it, and the migration
/// writes them for the jobs that ended before it.
/// </summary>
[Trait("Capability", "TeamAdmin")]
[Collection(PostgresCollection.Name)]
public sealed class UsageRecordsOnBothProvidersTests(PostgresServer server)
{
    private const string Worker = "test/worker";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_way_a_started_job_ends_writes_one_usage_record_and_a_job_canceled_while_queued_none(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "1" }, withRunner: true);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var ran = await core.SubmitAsync(alice, "ran");
        var failed = await core.SubmitAsync(alice, ScriptedEngine.FailingPrompt);
        var stopped = await core.SubmitAsync(alice, "canceled while running");
        var died = await core.SubmitAsync(alice, "its worker died");
        var neverRan = await core.SubmitAsync(alice, "canceled while queued");
        Assert.Equal(CancelOutcome.Canceled, await core.Queue.CancelAsync(neverRan.Id, alice, isAdmin: false));

        var runner = core.Services.GetRequiredService<JobRunner>();
        Assert.True(await runner.RunAsync(await ClaimAsync(core, ran.Id), Worker, CancellationToken.None));
        Assert.True(await runner.RunAsync(await ClaimAsync(core, failed.Id), Worker, CancellationToken.None));
        await ClaimAsync(core, stopped.Id);
        Assert.Equal(CancelOutcome.Stopping, await core.Queue.CancelAsync(stopped.Id, alice, isAdmin: false)); // its worker is elsewhere
        await ClaimAsync(core, died.Id);
        await using (var db = await core.CreateDbContextAsync())
        {
            await db.Jobs.Where(j => j.Id == died.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        Assert.Equal((0, 1), await core.Leases.RequeueExpiredAsync(CancellationToken.None));

        await using var read = await core.CreateDbContextAsync();
        var records = await read.UsageRecords.AsNoTracking().ToDictionaryAsync(r => r.JobId);
        Assert.Equal(4, records.Count);
        Assert.False(records.ContainsKey(neverRan.Id));
        var success = records[ran.Id];
        Assert.Equal((alice, "alice", "tiny", JobStatus.Succeeded, 1, 2L * 64 * 64), (success.OwnerId, success.UserName, success.Model, success.Status, success.Images, success.StepPixels));
        Assert.True(success.WorkerMs > 0, "no worker time");
        var job = await read.Jobs.AsNoTracking().SingleAsync(j => j.Id == ran.Id);
        Assert.Equal(job.FinishedAt, success.FinishedAt);
        Assert.Equal(job.TotalMs, success.WorkerMs);
        foreach (var (id, status) in new[] { (failed.Id, JobStatus.Failed), (stopped.Id, JobStatus.Canceled), (died.Id, JobStatus.Failed) })
        {
            Assert.Equal((status, 0, 0L), (records[id].Status, records[id].Images, records[id].StepPixels));
            Assert.Equal((await read.Jobs.AsNoTracking().SingleAsync(j => j.Id == id)).FinishedAt, records[id].FinishedAt);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_swept_job_and_a_deleted_account_keep_their_usage_and_the_daily_image_quota_still_counts_it(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, withRunner: true);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var admin = new Actor("test-admin", "test admin");
        var administration = core.Services.GetRequiredService<UserAdministration>();
        Assert.True((await administration.SetQuotaAsync(admin, alice, new Quotas(2, null, null, null))).Done);
        var first = await core.SubmitAsync(alice, "made, then deleted");
        Assert.True(await core.Services.GetRequiredService<JobRunner>().RunAsync(await ClaimAsync(core, first.Id), Worker, CancellationToken.None));

        var history = core.Services.GetRequiredService<HistoryService>();
        Assert.Equal(DeleteOutcome.Deleted, await history.DeleteAsync(alice, first.Id));
        Assert.Equal(1, await history.PurgeDeletedAsync(DateTime.UtcNow.AddMinutes(1)));
        await using (var db = await core.CreateDbContextAsync())
        {
            Assert.False(await db.Jobs.IgnoreQueryFilters().AnyAsync(j => j.OwnerId == alice), "the sweep left the job");
        }

        // The deleted image still counts: one made and one queued fill the quota of two.
        await core.SubmitAsync(alice, "queued");
        var refused = await core.Queue.SubmitAsync(alice, StudioCore.Spec("over the quota"), null, JobSource.Api);
        Assert.Equal(SubmitRefusal.QuotaExceeded, refused.Refusal);
        var (_, use) = await core.Services.GetRequiredService<TeamPolicies>().UseAsync(alice);
        Assert.Equal(2, use.ImagesToday);

        Assert.True((await administration.DeleteAsync(admin, alice, keepImages: false)).Done);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = core.Services.GetRequiredService<UsageMetering>();
        var byUser = await usage.GetAsync(today, today, UsagePeriod.Day, UsageGrouping.User);
        var row = Assert.Single(byUser.Rows);
        Assert.Equal(("alice", 1, 1L, 2L * 64 * 64), (row.Key, row.Totals.Jobs, row.Totals.Images, row.Totals.StepPixels));
        var byModel = await usage.GetAsync(today, today, UsagePeriod.Week, UsageGrouping.Model);
        Assert.Equal(("tiny", 1L), (Assert.Single(byModel.Rows).Key, byModel.Rows[0].Totals.Images));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_migration_writes_the_records_of_jobs_that_ended_before_it(string provider)
    {
        using var folder = new TempFolder();
        await using var database = provider == "Postgres" ? await server.CreateDatabaseAsync() : null;
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        _ = database is null
            ? builder.UseStudioSqlite(StudioDatabase.ConnectionString(folder.Combine("studio.db")))
            : builder.UseStudioPostgres(database.ConnectionString);
        var options = builder.Options;
        var postgres = database is not null;
        string At(string time) => postgres ? $"'2026-11-02 {time}+00'" : $"'2026-11-02 {time}'";
        var no = postgres ? "false" : "0";
        var (succeeded, failed, canceled, queued) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var old = new StudioDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("AddTeamAdmin");
            // Literal rows, as that version's tables hold them (the two providers' SQL differs only in its literals).
            var user =
                "INSERT INTO \"AspNetUsers\" (\"Id\", \"UserName\", \"EmailConfirmed\", \"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"CreatedAt\") "
                + $"VALUES ('u1', 'alice@example.test', {no}, {no}, {no}, {no}, 0, {At("08:00:00")})";
            await old.Database.ExecuteSqlRawAsync(user);
            // A deleted (not yet swept) success, a failure, a job canceled while queued, and one still queued.
            foreach (var (id, status, started, finished, ms, deleted) in new[]
            {
                (succeeded, "Succeeded", At("09:00:00"), At("09:00:05"), "1500", At("10:00:00")),
                (failed, "Failed", At("09:01:00"), At("09:01:01"), "NULL", "NULL"),
                (canceled, "Canceled", "NULL", At("09:02:00"), "NULL", "NULL"),
                (queued, "Queued", "NULL", "NULL", "NULL", "NULL"),
            })
            {
                var job =
                    "INSERT INTO \"GenerationJobs\" (\"Id\", \"OwnerId\", \"Kind\", \"Status\", \"Source\", \"Prompt\", \"NegativePrompt\", \"Model\", \"Scheduler\", \"Steps\", \"Guidance\", "
                    + "\"Seed\", \"Width\", \"Height\", \"BatchSize\", \"Priority\", \"Round\", \"CreatedAt\", \"StartedAt\", \"FinishedAt\", \"TotalMs\", \"DeletedAt\", \"Attempts\", \"ClaimToken\", \"Spec\", \"SpecVersion\") "
                    + $"VALUES ('{id.ToString().ToUpperInvariant()}', 'u1', 'Txt2Img', '{status}', 'Studio', 'a square', '', 'tiny', 'Euler a', 10, 7, "
                    + $"1, 64, 64, 2, 0, 0, {At("08:30:00")}, {started}, {finished}, {ms}, {deleted}, 1, 1, '{{{{}}}}', 1)"; // braces doubled twice: once for the interpolation, once for the raw SQL's format
                await old.Database.ExecuteSqlRawAsync(job);
            }
        }

        await using var db = new StudioDbContext(options);
        StudioDatabase.MigrateAndConfigure(db);

        var records = await db.UsageRecords.AsNoTracking().OrderBy(r => r.FinishedAt).ToListAsync();
        Assert.Equal([succeeded, failed], records.Select(r => r.JobId));
        Assert.All(records, r => Assert.Equal(("u1", "alice@example.test", "tiny", JobKind.Txt2Img, JobSource.Studio), (r.OwnerId, r.UserName, r.Model, r.Kind, r.Source)));
        Assert.Equal((JobStatus.Succeeded, 2, 10L * 64 * 64 * 2, 1500d, new DateTime(2026, 11, 2, 9, 0, 5)),
            (records[0].Status, records[0].Images, records[0].StepPixels, records[0].WorkerMs, records[0].FinishedAt));
        Assert.Equal((JobStatus.Failed, 0, 0L, 0d), (records[1].Status, records[1].Images, records[1].StepPixels, records[1].WorkerMs));
    }

    private static async Task<GenerationJob> ClaimAsync(StudioCore core, Guid expected)
    {
        var job = await core.Queue.ClaimNextAsync(Worker, CancellationToken.None);
        Assert.Equal(expected, job?.Id);
        return job!;
    }
}
