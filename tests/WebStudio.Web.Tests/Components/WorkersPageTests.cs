using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Studio.Workers;
using WebStudio.Web.Components.Pages;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Web.Tests.Queue;

namespace WebStudio.Web.Tests.Components;

/// <summary>The administrator's Workers page on a real registry: how long ago each worker was heard from, in words,
/// and a dead worker's row forgotten on request.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class WorkersPageTests
{
    [Fact]
    public async Task A_dead_workers_silence_reads_in_hours_and_minutes_and_the_administrator_can_forget_it()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Generation:UseCuda", "false")));
        var registry = factory.Services.GetRequiredService<WorkerRegistry>();
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            var heard = DateTime.UtcNow - new TimeSpan(2, 5, 30);
            db.Workers.Add(new WorkerRecord { Id = "elsewhere/7/dead#0", HostName = "elsewhere", StartedAt = heard.AddHours(-1), LastHeartbeatAt = heard });
            await db.SaveChangesAsync();
        }

        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddSingleton(registry);
        context.Services.AddSingleton(TimeProvider.System);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var cut = context.Render<WorkersPage>();

        var dead = cut.WaitForElement("tr[data-worker-id='elsewhere/7/dead#0']");
        Assert.Matches(@"^2 h 5 min ago\s+not responding", dead.QuerySelector(".worker-heartbeat")!.TextContent.Trim());
        // The studio's own worker answers, in seconds, with nothing to forget.
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr.worker-row").Count));
        var own = cut.FindAll("tr.worker-row").Single(row => row.GetAttribute("data-worker-id") != "elsewhere/7/dead#0");
        Assert.Matches(@"^\d+ s ago$", own.QuerySelector(".worker-heartbeat")!.TextContent.Trim());
        Assert.Null(own.QuerySelector(".worker-forget"));

        await cut.Find("tr[data-worker-id='elsewhere/7/dead#0'] .worker-forget").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("tr[data-worker-id='elsewhere/7/dead#0']")));
        Assert.DoesNotContain("elsewhere/7/dead#0", (await registry.ListAsync()).Select(w => w.Id));
    }
}
