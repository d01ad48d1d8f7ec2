using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Execution;
using WebStudio.Studio.History;

namespace WebStudio.ScaleOut.Tests;

/// <summary>The queries whose SQL differs most between the providers: search, keyset pages, prefix matches.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class HistoryAndRecoveryOnBothProvidersTests(PostgresServer server)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task History_search_ignores_case_and_pages_through_every_job_once(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        for (var i = 0; i < 7; i++)
        {
            await core.SubmitAsync(alice, i % 2 == 0 ? $"a Red cat {i}" : $"a blue dog {i}");
        }

        var history = core.Services.GetRequiredService<HistoryService>();
        var found = await history.QueryAsync(alice, new HistoryFilter { Search = "rED CAT" }, null);
        Assert.Equal(4, found.Items.Count);
        Assert.All(found.Items, item => Assert.Contains("Red cat", item.Prompt, StringComparison.Ordinal));

        var seen = new List<Guid>();
        HistoryCursor? cursor = null;
        do
        {
            var page = await history.QueryAsync(alice, new HistoryFilter(), cursor, pageSize: 3);
            seen.AddRange(page.Items.Select(i => i.JobId));
            cursor = page.NextCursor is { } next && HistoryCursor.TryParse(next, out var parsed) ? parsed : null;
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(7, seen.Count);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Recovery_requeues_the_jobs_of_this_machines_dead_workers_and_leaves_other_machines_alone(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var mine = await core.SubmitAsync(alice, "mine");
        var theirs = await core.SubmitAsync(alice, "theirs");
        // A worker process of this machine that is gone (no process has this id: above Linux's largest pid).
        Assert.NotNull(await core.Queue.ClaimNextAsync(QueueWorkerService.MachinePrefix + "999999999/dead", CancellationToken.None));
        Assert.NotNull(await core.Queue.ClaimNextAsync("other-machine/1/alive", CancellationToken.None));

        var (requeued, failed) = await core.Queue.RecoverInterruptedAsync(QueueWorkerService.MachinePrefix, core.Leases);

        Assert.Equal((1, 0), (requeued, failed));
        await using var db = await core.CreateDbContextAsync();
        Assert.Equal(JobStatus.Queued, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == mine.Id)).Status);
        Assert.Equal(JobStatus.Running, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == theirs.Id)).Status);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Recovery_ends_the_lease_of_a_dead_local_workers_job_and_the_sweep_fails_it_after_its_last_attempt(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var job = await core.SubmitAsync(alice, "third try");
        Assert.NotNull(await core.Queue.ClaimNextAsync(QueueWorkerService.MachinePrefix + "999999999/dead", CancellationToken.None));
        await using (var db = await core.CreateDbContextAsync())
        {
            // Its third attempt, its lease still running for a while: only the fast path can end it now.
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, 3));
        }

        var (requeued, failed) = await core.Queue.RecoverInterruptedAsync(QueueWorkerService.MachinePrefix, core.Leases);

        Assert.Equal((0, 1), (requeued, failed));
        await using var check = await core.CreateDbContextAsync();
        var given = await check.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
        Assert.Equal(JobStatus.Failed, given.Status);
        Assert.Equal("the worker running this job stopped responding 3 times, so it was given up", given.FailureReason); // the sweep's, the one reason
        Assert.Null(given.LeaseExpiresAt);
    }
}
