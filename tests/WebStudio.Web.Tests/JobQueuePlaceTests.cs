using System.Net.Http.Json;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

/// <summary>GET /api/jobs/{id} tells a program what the queue page tells a person: a queued job's place, and a
/// waiting or running job's estimated time until it ends.</summary>
[Trait("Capability", "StudioCore")]
public sealed class JobQueuePlaceTests
{
    [Fact]
    public async Task A_waiting_job_reports_its_place_and_eta_and_an_ended_one_neither()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var first = await alice.SubmitAsync("first", steps: 10);
        await alice.WaitForAsync(first.Id, j => j.Status == "Running");
        var second = await alice.SubmitAsync("second", steps: 10);
        var bobs = await bob.SubmitAsync("bob's", steps: 10);

        var running = await GetAsync(alice, first.Id);
        var aliceSecond = await GetAsync(alice, second.Id);
        var bobFirst = await GetAsync(bob, bobs.Id);
        var bobFirstForAdmin = await GetAsync(admin, bobs.Id);
        factory.Scripted.Open();

        Assert.Null(running.Position);
        Assert.NotNull(running.EtaSeconds);
        Assert.Equal(1, bobFirst.Position); // fair: bob was never served, alice just was
        Assert.Equal(2, aliceSecond.Position);
        Assert.True(bobFirst.EtaSeconds > running.EtaSeconds, $"{bobFirst.EtaSeconds} after {running.EtaSeconds}");
        Assert.True(aliceSecond.EtaSeconds > bobFirst.EtaSeconds, $"{aliceSecond.EtaSeconds} after {bobFirst.EtaSeconds}");
        Assert.Equal((bobFirst.Position, bobFirst.EtaSeconds), (bobFirstForAdmin.Position, bobFirstForAdmin.EtaSeconds));

        var ended = await alice.WaitForEndAsync(second.Id);
        Assert.Equal("Succeeded", ended.Status);
        Assert.Equal((null, null), (ended.Position, ended.EtaSeconds));
    }

    private static async Task<JobView> GetAsync(StudioUserClient user, Guid id) =>
        (await user.Http.GetFromJsonAsync<JobView>($"/api/jobs/{id}"))!;
}
