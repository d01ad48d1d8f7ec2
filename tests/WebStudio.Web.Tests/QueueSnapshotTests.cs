using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

public sealed class QueueSnapshotTests
{
    [Fact]
    public async Task Users_see_the_queue_length_and_only_their_own_jobs_and_the_administrator_sees_all()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");

        var running = await alice.SubmitAsync("alice secret 1", steps: 10);
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");
        await alice.SubmitAsync("alice secret 2", steps: 10);
        var bobs = await bob.SubmitAsync("bob prompt", steps: 10);

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
}
