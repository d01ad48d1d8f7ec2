using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests.TeamAdmin;

/// <summary>
/// The administrator's hand on the queue, at the claim, on both providers (each has its own claim statement): a held
/// job is passed over and, released, takes its old place; while the queue is paused no claim takes anything.
/// </summary>
[Trait("Capability", "TeamAdmin")]
[Collection(PostgresCollection.Name)]
public sealed class AdminQueueOnBothProvidersTests(PostgresServer server)
{
    private static readonly Actor Admin = new("test-admin", "test admin");

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_held_job_is_passed_over_and_once_released_runs_before_the_jobs_queued_after_it(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var administration = core.Services.GetRequiredService<QueueAdministration>();
        var alice = (await core.AddUsersAsync("alice"))[0];
        var a = await core.SubmitAsync(alice, "a");
        var b = await core.SubmitAsync(alice, "b");
        var c = await core.SubmitAsync(alice, "c");

        Assert.Equal(QueueActionOutcome.Done, await administration.HoldAsync(Admin, b.Id));
        Assert.Equal(QueueActionOutcome.NotApplicable, await administration.HoldAsync(Admin, b.Id)); // held already
        Assert.Equal(QueueActionOutcome.NotFound, await administration.HoldAsync(Admin, Guid.NewGuid()));
        Assert.Equal(a.Id, (await ClaimAsync(core))?.Id);
        Assert.Equal(c.Id, (await ClaimAsync(core))?.Id);
        Assert.Null(await ClaimAsync(core));
        Assert.Equal(QueueActionOutcome.NotApplicable, await administration.HoldAsync(Admin, a.Id)); // running

        Assert.Equal(QueueActionOutcome.Done, await administration.ReleaseAsync(Admin, b.Id));
        Assert.Equal(QueueActionOutcome.NotApplicable, await administration.ReleaseAsync(Admin, b.Id));
        var d = await core.SubmitAsync(alice, "d");
        Assert.Equal(b.Id, (await ClaimAsync(core))?.Id);
        Assert.Equal(d.Id, (await ClaimAsync(core))?.Id);

        await using var db = await core.CreateDbContextAsync();
        var audit = await db.AuditLog.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Action, e.Target, e.Details }).ToListAsync();
        Assert.Equal([AuditActions.JobHeld, AuditActions.JobReleased], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal($"job {b.Id}", e.Target));
        Assert.All(audit, e => Assert.Equal("owner alice@example.test", e.Details));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task While_the_queue_is_paused_no_claim_takes_a_job_and_submissions_are_still_taken(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var administration = core.Services.GetRequiredService<QueueAdministration>();
        var alice = (await core.AddUsersAsync("alice"))[0];
        var first = await core.SubmitAsync(alice, "before the pause");

        Assert.True(await administration.PauseAsync(Admin, "new model"));
        Assert.False(await administration.PauseAsync(Admin, "again"));
        var second = await core.SubmitAsync(alice, "during the pause");
        Assert.Null(await ClaimAsync(core));
        Assert.Null(await core.Queue.ClaimNextAsync("test/worker", new WorkerModels(["tiny"], ["tiny"]), CancellationToken.None));

        var view = await core.Services.GetRequiredService<QueueSnapshot>().GetAsync(alice, isAdmin: false);
        Assert.Equal(new QueuePauseInfo(view.Paused!.At, "test admin", "new model"), view.Paused);
        Assert.Equal([1, 2], view.Entries.Select(e => e.Position));

        Assert.True(await administration.ResumeAsync(Admin));
        Assert.False(await administration.ResumeAsync(Admin));
        Assert.Equal(first.Id, (await ClaimAsync(core))?.Id);
        Assert.Equal(second.Id, (await ClaimAsync(core))?.Id);
        Assert.Null((await core.Services.GetRequiredService<QueueSnapshot>().GetAsync(alice, isAdmin: false)).Paused);

        await using var db = await core.CreateDbContextAsync();
        var audit = await db.AuditLog.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Action, e.Details }).ToListAsync();
        Assert.Equal([(AuditActions.QueuePaused, "new model"), (AuditActions.QueueResumed, "")], audit.Select(e => (e.Action, e.Details)));
    }

    private static Task<GenerationJob?> ClaimAsync(StudioCore core) => core.Queue.ClaimNextAsync("test/worker", CancellationToken.None);
}
