using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Web.Components.Shared;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Tests.Components;

public sealed class QueueTableTests
{
    private static readonly Guid Running = Guid.NewGuid(), Waiting = Guid.NewGuid();

    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // times on the viewer's clock (UTC here)
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    private static QueueView View(bool admin) => new(5, 1,
    [
        new QueueEntry(Running, Mine: !admin, admin ? "alice@example.test" : null, "alice's prompt", JobStatus.Running, 0, 3, 20, TimeSpan.FromSeconds(4), DateTime.UtcNow, 0),
        new QueueEntry(Waiting, Mine: false, admin ? "bob@example.test" : null, admin ? "bob's prompt" : null, JobStatus.Queued, 4, 0, 20, TimeSpan.FromSeconds(90), DateTime.UtcNow, 0),
    ]);

    [Fact]
    public async Task A_user_sees_the_queue_length_and_their_job_but_never_another_users_prompt()
    {
        await using var context = NewContext();
        var cut = context.Render<QueueTable>(p => p.Add(c => c.View, View(admin: false)).Add(c => c.IsAdmin, false));

        Assert.Contains("5 waiting · 1 running", cut.Find("#queue-length").TextContent);
        Assert.Contains("step 3 of 20", cut.Markup);
        Assert.Contains("alice's prompt", cut.Markup);
        Assert.DoesNotContain("bob", cut.Markup);
        Assert.Empty(cut.FindAll(".move-to-front"));
        Assert.Single(cut.FindAll(".cancel-job"));
    }

    [Fact]
    public async Task The_administrator_sees_owners_and_can_cancel_any_job_and_move_a_queued_one_to_the_front()
    {
        await using var context = NewContext();
        Guid? moved = null, canceled = null;
        var cut = context.Render<QueueTable>(p => p
            .Add(c => c.View, View(admin: true))
            .Add(c => c.IsAdmin, true)
            .Add(c => c.OnMoveToFront, id => moved = id)
            .Add(c => c.OnCancel, id => canceled = id));

        Assert.Contains("bob@example.test", cut.Markup);
        Assert.Equal(2, cut.FindAll(".cancel-job").Count);
        cut.Find(".move-to-front").Click();
        cut.FindAll(".cancel-job")[0].Click();

        Assert.Equal(Waiting, moved);
        Assert.Equal(Running, canceled);
    }
}
