using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebStudio.Studio.Queue;
using WebStudio.Web.Admin;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>
/// The administrator's queue over HTTP: every user's jobs with owner, model, size and steps; a job held keeps
/// waiting while the queue runs on, and runs once released; prompts shown only where the studio allows.
/// </summary>
[Trait("Capability", "TeamAdmin")]
public sealed class AdminQueueTests
{
    [Fact]
    public async Task The_administrator_sees_every_job_and_a_held_job_waits_until_released()
    {
        await using var studio = await TeamStudio.StartAsync();
        studio.Host.Scripted.Hold();
        var running = await studio.Member.SubmitAsync("member running");
        await studio.Member.WaitForAsync(running.Id, j => j.Status == "Running");
        var waiting = await studio.Member.SubmitAsync("member waiting", steps: 6, batch: 2);

        var queue = await studio.Admin.Http.GetFromJsonAsync<AdminQueueWire>("/api/admin/queue");
        var entry = queue!.Jobs.Single(j => j.Id == waiting.Id);
        Assert.Equal(new AdminQueueJob(waiting.Id, "member@example.test", "tiny", 64, 64, 2, 6, "Queued", 1, 0, entry.EtaSeconds, false, "member waiting"), entry);
        Assert.Equal("Running", queue.Jobs.Single(j => j.Id == running.Id).Status);

        using var hold = await studio.Admin.Http.PostAsync($"/api/admin/jobs/{waiting.Id}/hold", null);
        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);
        Assert.Equal("Held", (await studio.Member.WaitForAsync(waiting.Id, j => j.Status == "Held")).Status);
        using var memberTry = await studio.Member.Http.PostAsync($"/api/admin/jobs/{waiting.Id}/release", null);
        Assert.Equal(HttpStatusCode.Forbidden, memberTry.StatusCode);
        queue = await studio.Admin.Http.GetFromJsonAsync<AdminQueueWire>("/api/admin/queue");
        Assert.Equal((0, 1, 1), (queue!.Queued, queue.Running, queue.Held));
        Assert.Equal(("Held", null, null), queue.Jobs.Single(j => j.Id == waiting.Id) is var h ? (h.Status, h.Position, h.EtaSeconds) : default);

        // The member's own Queue page shows the hold.
        var memberView = await studio.Get<QueueSnapshot>().GetAsync(studio.MemberId, isAdmin: false);
        await using (var context = new BunitContext())
        {
            context.Services.AddMudServices();
            context.Services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // times on the viewer's clock (UTC here)
            context.JSInterop.Mode = JSRuntimeMode.Loose;
            var page = context.Render<QueueTable>(p => p.Add(c => c.View, memberView).Add(c => c.IsAdmin, false));
            var row = page.Find($"tr[data-job-id='{waiting.Id}']");
            Assert.Equal("held", row.QuerySelector(".queue-position")!.TextContent.Trim());
            Assert.Equal("held by an administrator", row.QuerySelector(".queue-state")!.TextContent.Trim());
        }

        // The queue runs on without it…
        studio.Host.Scripted.Open();
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(running.Id)).Status);
        var other = await studio.Member.SubmitAsync("submitted after the hold");
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(other.Id)).Status);
        Assert.Equal("Held", (await studio.Member.Http.GetFromJsonAsync<JobView>($"/api/jobs/{waiting.Id}"))!.Status);

        // …and runs it once released.
        using var release = await studio.Admin.Http.PostAsync($"/api/admin/jobs/{waiting.Id}/release", null);
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(waiting.Id)).Status);

        using var again = await studio.Admin.Http.PostAsync($"/api/admin/jobs/{waiting.Id}/release", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("the job is not held", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await studio.Admin.Http.PostAsync($"/api/admin/jobs/{Guid.NewGuid()}/hold", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badId = await studio.Admin.Http.PostAsync("/api/admin/jobs/not-a-job/hold", null);
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
    }

    [Fact]
    public async Task A_paused_queue_starts_nothing_until_resumed_and_says_so_to_members()
    {
        await using var studio = await TeamStudio.StartAsync();
        using var pause = await studio.Admin.Http.PostAsJsonAsync("/api/admin/queue/pause", new { reason = "switching models" });
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        using var twice = await studio.Admin.Http.PostAsJsonAsync("/api/admin/queue/pause", new { reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var tooLong = await studio.Admin.Http.PostAsJsonAsync("/api/admin/queue/pause", new { reason = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        var job = await studio.Member.SubmitAsync("waits for the resume");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the submission woke the worker: it would have taken the job by now
        // A program polling the job sees its place, and no time while nothing starts.
        var polled = await studio.Member.Http.GetFromJsonAsync<JobView>($"/api/jobs/{job.Id}");
        Assert.Equal(("Queued", 1, (double?)null), (polled!.Status, polled.Position, polled.EtaSeconds));
        Assert.Empty(studio.Host.Scripted.Started);
        var queue = await studio.Admin.Http.GetFromJsonAsync<AdminQueueWire>("/api/admin/queue");
        Assert.Equal(("admin@example.test", "switching models"), (queue!.Paused!.By, queue.Paused.Reason));
        Assert.Null(queue.Jobs.Single().EtaSeconds);

        var memberView = await studio.Get<QueueSnapshot>().GetAsync(studio.MemberId, isAdmin: false);
        await using (var context = new BunitContext())
        {
            context.Services.AddMudServices();
            context.Services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // times on the viewer's clock (UTC here)
            context.JSInterop.Mode = JSRuntimeMode.Loose;
            var page = context.Render<QueueTable>(p => p.Add(c => c.View, memberView).Add(c => c.IsAdmin, false));
            Assert.Contains("The queue is paused by an administrator", page.Find("#queue-paused").TextContent, StringComparison.Ordinal);
            Assert.Contains("switching models", page.Find("#queue-paused").TextContent, StringComparison.Ordinal);
        }

        using var resume = await studio.Admin.Http.PostAsync("/api/admin/queue/resume", null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(10))).Status);
        using var resumeAgain = await studio.Admin.Http.PostAsync("/api/admin/queue/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, resumeAgain.StatusCode);
    }

    [Fact]
    public async Task With_prompts_kept_private_the_administrator_sees_model_size_and_steps_but_not_a_members_prompt()
    {
        await using var studio = await TeamStudio.StartAsync(new Dictionary<string, string?> { ["Queue:AdministratorsSeePrompts"] = "false" });
        studio.Host.Scripted.Hold();
        var theirs = await studio.Member.SubmitAsync("a member's private prompt", steps: 5);
        var own = await studio.Admin.SubmitAsync("the administrator's own prompt");

        var queue = await studio.Admin.Http.GetFromJsonAsync<AdminQueueWire>("/api/admin/queue");
        var member = queue!.Jobs.Single(j => j.Id == theirs.Id);
        Assert.Equal(("member@example.test", "tiny", 64, 5, null), (member.Owner, member.Model, member.Width, member.Steps, member.Prompt));
        Assert.Equal("the administrator's own prompt", queue.Jobs.Single(j => j.Id == own.Id).Prompt);
        var body = await studio.Admin.Http.GetStringAsync("/api/admin/queue");
        Assert.DoesNotContain("private prompt", body, StringComparison.Ordinal);
        studio.Host.Scripted.Open();
    }
}
