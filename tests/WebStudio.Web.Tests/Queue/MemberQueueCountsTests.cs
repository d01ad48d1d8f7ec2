using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>A member's Queue page counts others' jobs apart from their own, so that no count exceeds the rows shown.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class MemberQueueCountsTests
{
    [Fact]
    public async Task A_members_counts_say_which_waiting_and_running_jobs_are_theirs_and_match_their_rows()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var running = await alice.SubmitAsync("alice running", steps: 10);
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");
        await alice.SubmitAsync("alice waiting", steps: 10);
        var bobs = await bob.SubmitAsync("bob waiting", steps: 10);

        var snapshot = factory.Services.GetRequiredService<QueueSnapshot>();
        var bobView = await snapshot.GetAsync(OwnerOf(factory, bobs.Id), isAdmin: false);
        var aliceView = await snapshot.GetAsync(OwnerOf(factory, running.Id), isAdmin: false);
        var adminView = await snapshot.GetAsync("admin-id-not-in-queue", isAdmin: true);
        factory.Scripted.Open();

        Assert.Equal((1, 1), bobView.Others);
        Assert.Equal((1, 0), aliceView.Others);
        Assert.Null(adminView.Others);

        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // times on the viewer's clock (UTC here)
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var bobPage = context.Render<QueueTable>(p => p.Add(c => c.View, bobView).Add(c => c.IsAdmin, false));
        Assert.Equal("Waiting: 1 yours · 1 other · Running: 0 yours · 1 other", bobPage.Find("#queue-length").TextContent.Trim());
        Assert.Single(bobPage.FindAll("#queue-table tbody tr"));
        var alicePage = context.Render<QueueTable>(p => p.Add(c => c.View, aliceView).Add(c => c.IsAdmin, false));
        Assert.Equal("Waiting: 1 yours · 1 other · Running: 1 yours · 0 other", alicePage.Find("#queue-length").TextContent.Trim());
        Assert.Equal(2, alicePage.FindAll("#queue-table tbody tr").Count);
        var adminPage = context.Render<QueueTable>(p => p.Add(c => c.View, adminView).Add(c => c.IsAdmin, true));
        Assert.Equal("2 waiting · 1 running", adminPage.Find("#queue-length").TextContent.Trim());
        Assert.Equal(3, adminPage.FindAll("#queue-table tbody tr").Count);
    }

    private static string OwnerOf(StudioHost factory, Guid jobId)
    {
        using var db = factory.OpenDatabase();
        return db.Jobs.Single(j => j.Id == jobId).OwnerId;
    }
}
