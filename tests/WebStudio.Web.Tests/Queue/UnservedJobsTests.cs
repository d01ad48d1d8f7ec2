using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>
/// A claim takes only jobs of the models its worker has, so a job whose model was removed waited for ever, its page
/// showing a place and an ETA. After Queue:UnservedModelSeconds it fails with the reason, unless a worker heard from
/// within that time has the model, the queue is paused, or no worker is live.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class UnservedJobsTests
{
    [Fact]
    public async Task A_job_waiting_for_a_model_no_worker_has_fails_with_the_reason_once_it_has_waited_the_timeout()
    {
        using var folder = new TempFolder();
        await using var factory = Studio(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var removed = (await alice.SubmitAsync("removed model")).Id;
        var young = (await alice.SubmitAsync("removed model, just queued")).Id;
        var installed = (await alice.SubmitAsync("installed model")).Id;
        var elsewhere = (await alice.SubmitAsync("model of a worker heard from 45 s ago")).Id;
        var now = DateTime.UtcNow;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await SetAsync(db, removed, "gone", now.AddMinutes(-5));
            await SetAsync(db, young, "gone", now);
            await SetAsync(db, installed, "tiny", now.AddMinutes(-5));
            await SetAsync(db, elsewhere, "elsewhere", now.AddMinutes(-5));
            db.Workers.AddRange(
                new WorkerRecord { Id = "live", Models = ["tiny"], StartedAt = now.AddHours(-1), LastHeartbeatAt = now },
                new WorkerRecord { Id = "restarting", Models = ["elsewhere"], StartedAt = now.AddHours(-1), LastHeartbeatAt = now.AddSeconds(-45) });
            await db.SaveChangesAsync();
        }

        var sweep = factory.Services.GetRequiredService<UnservedJobs>();
        Assert.Equal(1, await sweep.FailAsync(CancellationToken.None));
        Assert.Equal((JobStatus.Failed, UnservedJobs.Reason("gone")), await StateAsync(factory, removed));
        foreach (var waiting in new[] { young, installed, elsewhere })
        {
            Assert.Equal((JobStatus.Queued, (string?)null), await StateAsync(factory, waiting));
        }

        // The other job of the removed model has waited as long now: not while the queue is paused, nor while no
        // worker is live, and then it fails too.
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await SetAsync(db, young, "gone", now.AddMinutes(-5));
            db.QueuePauses.Add(new QueuePause { PausedAt = now, PausedBy = "admin", Reason = "changing models" });
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, await sweep.FailAsync(CancellationToken.None));
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await db.QueuePauses.ExecuteDeleteAsync();
            await db.Workers.Where(w => w.Id == "live").ExecuteUpdateAsync(s => s.SetProperty(w => w.LastHeartbeatAt, now.AddMinutes(-10)));
        }

        Assert.Equal(0, await sweep.FailAsync(CancellationToken.None));
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await db.Workers.Where(w => w.Id == "live").ExecuteUpdateAsync(s => s.SetProperty(w => w.LastHeartbeatAt, DateTime.UtcNow));
        }

        Assert.Equal(1, await sweep.FailAsync(CancellationToken.None));
        Assert.Equal(JobStatus.Failed, (await StateAsync(factory, young)).Status);
        var view = await alice.WaitForEndAsync(young);
        Assert.Equal(("Failed", UnservedJobs.Reason("gone")), (view.Status, view.FailureReason));
    }

    [Fact]
    public async Task A_job_waiting_for_a_model_no_live_worker_has_says_when_it_fails_instead_of_an_eta()
    {
        using var folder = new TempFolder();
        await using var factory = Studio(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var removed = (await alice.SubmitAsync("removed model")).Id;
        var installed = (await alice.SubmitAsync("installed model")).Id;
        var now = DateTime.UtcNow;
        string owner;
        DateTime queuedAt;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await SetAsync(db, removed, "gone", now.AddSeconds(-10));
            (owner, queuedAt) = await db.Jobs.Where(j => j.Id == removed).Select(j => ValueTuple.Create(j.OwnerId, j.CreatedAt)).SingleAsync();
            db.Workers.Add(new WorkerRecord { Id = "live", Models = ["tiny"], StartedAt = now.AddHours(-1), LastHeartbeatAt = now });
            await db.SaveChangesAsync();
        }

        var snapshot = factory.Services.GetRequiredService<QueueSnapshot>();
        foreach (var isAdmin in new[] { false, true })
        {
            var view = await snapshot.GetAsync(owner, isAdmin);
            var (gone, tiny) = (view.Entries.Single(e => e.JobId == removed), view.Entries.Single(e => e.JobId == installed));
            Assert.Equal((queuedAt.AddSeconds(60), (TimeSpan?)null), (gone.UnservedUntil, view.EtaOf(gone)));
            Assert.Null(tiny.UnservedUntil);
            Assert.NotNull(view.EtaOf(tiny));
        }

        var polled = await alice.WaitForAsync(removed, _ => true);
        Assert.Equal((1, (double?)null), (polled.Position, polled.EtaSeconds));
        Assert.NotNull((await alice.WaitForAsync(installed, _ => true)).EtaSeconds);
        var behindUnserved = await EtasAsync(snapshot, owner, alice, installed);

        // With no worker live, nothing is said to be unserved, as the sweep then fails nothing, and the job ahead
        // counts in the ETA behind it.
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await db.Workers.ExecuteUpdateAsync(s => s.SetProperty(w => w.LastHeartbeatAt, now.AddMinutes(-10)));
        }

        Assert.All((await snapshot.GetAsync(owner, isAdmin: false)).Entries, e => Assert.Null(e.UnservedUntil));
        var behindServed = await EtasAsync(snapshot, owner, alice, installed);
        Assert.True(behindServed.Member > behindUnserved.Member, $"{behindServed} against {behindUnserved}");
        Assert.True(behindServed.Administrator > behindUnserved.Administrator, $"{behindServed} against {behindUnserved}");
        Assert.True(behindServed.Api > behindUnserved.Api, $"{behindServed} against {behindUnserved}");

        // The unserved job added no time to the one behind it: its ETAs were those it has with that job gone.
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await db.Workers.ExecuteUpdateAsync(s => s.SetProperty(w => w.LastHeartbeatAt, DateTime.UtcNow));
            await db.Jobs.Where(j => j.Id == removed).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Canceled));
        }

        Assert.Equal(behindUnserved, await EtasAsync(snapshot, owner, alice, installed));
    }

    /// <summary>A queued job's ETA in its owner's view, in the administrator's and over the API.</summary>
    private static async Task<(TimeSpan? Member, TimeSpan? Administrator, double? Api)> EtasAsync(QueueSnapshot snapshot, string owner, StudioUserClient client, Guid job)
    {
        var member = await snapshot.GetAsync(owner, isAdmin: false);
        var administrator = await snapshot.GetAsync(owner, isAdmin: true);
        return (member.EtaOf(member.Entries.Single(e => e.JobId == job)), administrator.EtaOf(administrator.Entries.Single(e => e.JobId == job)),
            (await client.WaitForAsync(job, _ => true)).EtaSeconds);
    }

    // No workers of its own: the tests write the workers' heartbeats by hand.
    private static StudioHost Studio(TempFolder folder) => ScriptedStudio.Create(folder, settings: new Dictionary<string, string?>
    {
        ["Queue:RunJobs"] = "false",
        ["Queue:UnservedModelSeconds"] = "60",
    });

    private static Task<int> SetAsync(StudioDbContext db, Guid id, string model, DateTime createdAt) =>
        db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Model, model).SetProperty(j => j.CreatedAt, createdAt));

    private static async Task<(JobStatus Status, string? Reason)> StateAsync(StudioHost factory, Guid id)
    {
        await using var db = await LeaseTestData.OpenAsync(factory);
        return await db.Jobs.Where(j => j.Id == id).Select(j => ValueTuple.Create(j.Status, j.FailureReason)).SingleAsync();
    }
}
