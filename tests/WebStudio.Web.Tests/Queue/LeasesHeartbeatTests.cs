using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>A live worker's heartbeat keeps its job's lease, however long the job runs.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class LeasesHeartbeatTests
{
    [Fact]
    public async Task The_heartbeat_renews_the_lease_of_a_job_that_runs_for_several_leases()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease());
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(25);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var submitted = await alice.SubmitAsync("long", steps: 150); // about 4 s: four leases

        var seen = new List<DateTime>();
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            while (await db.Jobs.AsNoTracking().Where(j => j.Id == submitted.Id).Select(j => new { j.Status, j.LeaseExpiresAt }).SingleAsync() is var job
                && job.Status is JobStatus.Queued or JobStatus.Running)
            {
                if (job.LeaseExpiresAt is { } lease && (seen.Count == 0 || seen[^1] != lease))
                {
                    seen.Add(lease);
                }

                await Task.Delay(50);
            }
        }

        var done = await alice.WaitForEndAsync(submitted.Id);
        Assert.Equal("Succeeded", done.Status);
        Assert.Equal(1, done.Attempts); // never lost, never requeued
        Assert.True(seen.Count >= 4, $"the lease moved {seen.Count - 1} times in a 4 s run");
        Assert.Equal(seen.Order(), seen);
    }
}
