using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

public sealed class QueueSnapshotTests
{
    [Fact]
    public async Task Users_see_the_queue_length_and_only_their_own_jobs_and_the_administrator_sees_all()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var bobs = (await ThreeJobsAsync(factory, "alice secret 1", "alice secret 2", "bob prompt")).Bobs;

        var snapshot = factory.Services.GetRequiredService<QueueSnapshot>();
        var bobView = await snapshot.GetAsync(UserId(bobs), isAdmin: false);
        var adminView = await snapshot.GetAsync("admin-id-not-in-queue", isAdmin: true);
        factory.Scripted.Open();

        Assert.Equal((2, 1), (bobView.Queued, bobView.Running));
        var bobEntry = Assert.Single(bobView.Entries);
        Assert.Equal("bob prompt", bobEntry.Prompt);
        Assert.Equal(1, bobEntry.Position); // fair: bob was never served, alice just was
        Assert.Null(bobEntry.OwnerName);
        Assert.True(bobEntry.Eta > TimeSpan.Zero);

        Assert.Equal(3, adminView.Entries.Count);
        Assert.Equal(["alice secret 1", "bob prompt", "alice secret 2"], adminView.Entries.Select(e => e.Prompt));
        Assert.Equal([JobStatus.Running, JobStatus.Queued, JobStatus.Queued], adminView.Entries.Select(e => e.Status));
        Assert.All(adminView.Entries, e => Assert.NotNull(e.OwnerName));
        Assert.True(adminView.Entries[2].Eta > adminView.Entries[1].Eta);

        string UserId(Endpoints.JobView job)
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            return db.Jobs.Single(j => j.Id == job.Id).OwnerId;
        }
    }

    /// <summary>GET /api/jobs/{id} tells a program what the queue page tells a person: a queued job's place, and a
    /// waiting or running job's estimated time until it ends.</summary>
    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task The_job_api_reports_a_waiting_jobs_place_and_eta_and_an_ended_ones_neither()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var jobs = await ThreeJobsAsync(factory, "first", "second", "bob's");

        var running = await GetAsync(jobs.Alice, jobs.First.Id);
        var aliceSecond = await GetAsync(jobs.Alice, jobs.Second.Id);
        var bobFirst = await GetAsync(jobs.Bob, jobs.Bobs.Id);
        var bobFirstForAdmin = await GetAsync(jobs.Admin, jobs.Bobs.Id);
        // The one-job read answers what each owner's whole view says of that job.
        foreach (var (id, answer) in new[] { (jobs.First.Id, running), (jobs.Second.Id, aliceSecond), (jobs.Bobs.Id, bobFirst) })
        {
            using var scope = factory.Services.CreateScope();
            var owner = scope.ServiceProvider.GetRequiredService<StudioDbContext>().Jobs.Single(j => j.Id == id).OwnerId;
            var view = await scope.ServiceProvider.GetRequiredService<QueueSnapshot>().GetAsync(owner, isAdmin: false);
            var entry = view.Entries.Single(e => e.JobId == id);
            Assert.Equal(entry.Status == JobStatus.Queued ? entry.Position : null, answer.Position);
            Assert.Equal(Math.Round(view.EtaOf(entry)!.Value.TotalSeconds, 3), answer.EtaSeconds);
        }

        factory.Scripted.Open();

        Assert.Null(running.Position);
        Assert.NotNull(running.EtaSeconds);
        Assert.Equal(1, bobFirst.Position); // fair: bob was never served, alice just was
        Assert.Equal(2, aliceSecond.Position);
        Assert.True(bobFirst.EtaSeconds > running.EtaSeconds, $"{bobFirst.EtaSeconds} after {running.EtaSeconds}");
        Assert.True(aliceSecond.EtaSeconds > bobFirst.EtaSeconds, $"{aliceSecond.EtaSeconds} after {bobFirst.EtaSeconds}");
        Assert.Equal((bobFirst.Position, bobFirst.EtaSeconds), (bobFirstForAdmin.Position, bobFirstForAdmin.EtaSeconds));

        var ended = await jobs.Alice.WaitForEndAsync(jobs.Second.Id);
        Assert.Equal("Succeeded", ended.Status);
        Assert.Equal((null, null), (ended.Position, ended.EtaSeconds));
    }

    /// <summary>With the engine held: alice's first job running, then her second and bob's first queued (10 steps
    /// each). The administrator registers first.</summary>
    private static async Task<ThreeJobs> ThreeJobsAsync(StudioHost factory, string first, string second, string bobs)
    {
        factory.Scripted.Hold();
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var running = await alice.SubmitAsync(first, steps: 10);
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");
        var queued = await alice.SubmitAsync(second, steps: 10);
        return new ThreeJobs(admin, alice, bob, running, queued, await bob.SubmitAsync(bobs, steps: 10));
    }

    private sealed record ThreeJobs(StudioUserClient Admin, StudioUserClient Alice, StudioUserClient Bob, JobView First, JobView Second, JobView Bobs);

    private static async Task<JobView> GetAsync(StudioUserClient user, Guid id) =>
        (await user.Http.GetFromJsonAsync<JobView>($"/api/jobs/{id}"))!;
}
