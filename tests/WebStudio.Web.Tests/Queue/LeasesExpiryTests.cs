using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Execution;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>A job whose worker died (on another machine: start-up recovery does not see it) goes back to the queue
/// when its lease runs out, and fails after the last attempt.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class LeasesExpiryTests
{
    [Fact]
    public async Task A_dead_workers_job_waits_for_its_lease_then_runs_again_here_and_finishes_once()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease());
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var leaseEnd = DateTime.UtcNow.AddSeconds(2);
        var id = await LeaseTestData.StoreOrphanAsync(factory, "orphan", attempts: 1, leaseEnd);

        // While its lease holds, the job stays its dead worker's, although this host's workers are idle.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(factory.Scripted.Started);
        Assert.Equal("Running", (await alice.WaitForAsync(id, _ => true)).Status);

        var done = await alice.WaitForEndAsync(id, TimeSpan.FromSeconds(20));

        Assert.True(DateTime.UtcNow >= leaseEnd);
        Assert.Equal("Succeeded", done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(["orphan"], factory.Scripted.Started.ToArray());
        await using var db = await LeaseTestData.OpenAsync(factory);
        var job = await db.Jobs.Include(j => j.Images).SingleAsync(j => j.Id == id);
        Assert.Equal(2, job.ClaimToken);
        Assert.StartsWith(QueueWorkerService.MachinePrefix, job.WorkerId);
        Assert.Null(job.LeaseExpiresAt);
        Assert.Equal(job.Images.Select(i => i.FileName).Order(StringComparer.Ordinal), LeaseTestData.ImageFiles(factory));
        Assert.Single(job.Images);
    }

    [Fact]
    public async Task A_job_whose_worker_stopped_responding_on_its_third_attempt_fails_with_a_reason()
    {
        using var folder = new TempFolder();
        // Both leases have run out already, so nothing here waits on the lease; a 3-second one keeps the retried job's
        // own lease from lapsing on a loaded machine, which would give it up as a fourth lost attempt.
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Queue:LeaseSeconds", "3")));
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var third = await LeaseTestData.StoreOrphanAsync(factory, "third", attempts: 3, DateTime.UtcNow.AddSeconds(-1));
        var second = await LeaseTestData.StoreOrphanAsync(factory, "second", attempts: 2, DateTime.UtcNow.AddSeconds(-1));

        var failed = await alice.WaitForEndAsync(third, TimeSpan.FromSeconds(10));
        var retried = await alice.WaitForEndAsync(second, TimeSpan.FromSeconds(10));

        Assert.Equal("Failed", failed.Status);
        Assert.Equal("the worker running this job stopped responding 3 times, so it was given up", failed.FailureReason);
        Assert.Equal(3, failed.Attempts);
        Assert.Empty(failed.Images);
        Assert.Equal("Succeeded", retried.Status);
        Assert.Equal(3, retried.Attempts);
        Assert.Equal(["second"], factory.Scripted.Started.ToArray());
    }
}
