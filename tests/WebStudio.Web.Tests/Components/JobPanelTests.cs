using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Components;

/// <summary>
/// The one job panel of the Generate and Edit pages, on a real queue with the scripted engine: it catches up with
/// a job that ended before it subscribed, and follows a queued one to its results.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class JobPanelTests
{
    [Fact]
    public async Task A_job_that_finished_before_the_panel_subscribed_shows_its_results()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var user = await StudioUserClient.RegisterAsync(factory, "fast");
        var submitted = await user.SubmitAsync("over before the page looks");
        await user.WaitForEndAsync(submitted.Id);

        // The page holds the job as it was submitted: queued, without images.
        var stale = await factory.StoredJobAsync(submitted.Id);
        stale.Status = JobStatus.Queued;
        stale.Images.Clear();
        await using var context = NewContext(factory);
        var cut = context.Render<JobPanel>(p => p.Add(c => c.Job, stale).AddCascadingValue(SignedIn(stale.OwnerId)));

        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("#job-panel").GetAttribute("data-status")));
        var image = Assert.Single(cut.FindAll("#results img.result-image"));
        Assert.Equal(submitted.Id.ToString(), cut.Find("#job-panel").GetAttribute("data-job-id"));
        Assert.Equal($"/api/images/{image.GetAttribute("data-image-id")}", image.GetAttribute("src"));
        Assert.Contains("Done", cut.Find("#job-status").TextContent);
        Assert.Empty(cut.FindAll("#live-preview"));
    }

    [Fact]
    public async Task A_queued_job_shows_its_place_and_a_live_preview_and_then_its_results()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var user = await StudioUserClient.RegisterAsync(factory, "patient");
        var first = await user.SubmitAsync("first in line");
        await user.WaitForAsync(first.Id, j => j.Status == "Running");
        var second = await user.SubmitAsync("second in line", seed: 2);

        var job = await factory.StoredJobAsync(second.Id);
        await using var context = NewContext(factory);
        var cut = context.Render<JobPanel>(p => p.Add(c => c.Job, job).Add(c => c.Noun, "edit").AddCascadingValue(SignedIn(job.OwnerId)));

        cut.WaitForAssertion(() => Assert.Contains("Position 1 in the queue", cut.Find("#queue-position").TextContent));
        Assert.Equal("Queued", cut.Find("#job-panel").GetAttribute("data-status"));
        Assert.NotNull(cut.Find("#live-preview"));
        Assert.NotNull(cut.Find("#cancel-job"));

        factory.Scripted.Open();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#results img.result-image")), TimeSpan.FromSeconds(20));
        Assert.Equal("Succeeded", cut.Find("#job-panel").GetAttribute("data-status"));
        Assert.Empty(cut.FindAll("#queue-position"));
    }

    [Fact]
    public async Task Renders_that_overlap_while_the_script_loads_start_one_preview_watcher()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var user = await StudioUserClient.RegisterAsync(factory, "watcher");
        var first = await user.SubmitAsync("keeps the worker busy");
        await user.WaitForAsync(first.Id, j => j.Status == "Running");
        var second = await user.SubmitAsync("waits with a preview", seed: 2);

        var job = await factory.StoredJobAsync(second.Id);
        await using var context = NewContext(factory);
        var script = new SlowStudioScript();
        context.Services.AddSingleton<IJSRuntime>(script);
        var cut = context.Render<JobPanel>(p => p.Add(c => c.Job, job).AddCascadingValue(SignedIn(job.OwnerId)));
        cut.WaitForAssertion(() => Assert.Equal(1, script.Imports));
        cut.Render();
        cut.Render();

        script.Loaded.SetResult();
        cut.WaitForAssertion(() => Assert.Equal(1, script.Watches));
        cut.Render();
        await Task.Delay(200);
        Assert.Equal((1, 1), (script.Imports, script.Watches));
        Assert.Equal(second.Id.ToString(), script.WatchedJob);
        factory.Scripted.Open();
    }

    // A worker killed mid-job leaves it at its last step until the lease runs out: the panel says so once no heartbeat
    // has renewed the lease for one and a half beats (a 3 s lease here: beats every 1 s, read every 0.5 s).
    [Fact]
    [Trait("Capability", "ScaleOut")]
    public async Task A_running_job_whose_worker_stopped_renewing_its_lease_says_so_and_when_it_goes_back()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false", ["Queue:LeaseSeconds"] = "3" });
        var user = await StudioUserClient.RegisterAsync(factory, "left");
        var submitted = await user.SubmitAsync("its worker dies");
        var claimed = await factory.Services.GetRequiredService<JobQueue>().ClaimNextAsync("gone/1/worker#0", CancellationToken.None);
        Assert.Equal(submitted.Id, claimed!.Id);

        var job = await factory.StoredJobAsync(submitted.Id);
        await using var context = NewContext(factory);
        var cut = context.Render<JobPanel>(p => p.Add(c => c.Job, job).AddCascadingValue(SignedIn(job.OwnerId)));
        await Task.Delay(1000); // two reads of a lease just claimed
        Assert.Empty(cut.FindAll("#worker-silent"));

        // Its last renewal 2.5 s ago: 0.5 s until the job goes back.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            var leaseEnd = DateTime.UtcNow.AddSeconds(0.5);
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, leaseEnd));
        }

        cut.WaitForAssertion(() => Assert.Contains("Its worker has not answered for", cut.Find("#worker-silent").TextContent), TimeSpan.FromSeconds(5));
        Assert.Matches(@"goes back\s+to the queue (in about 1 s|now) and runs again", cut.Find("#worker-silent").TextContent);
    }

    private static BunitContext NewContext(StudioHost factory)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // times on the viewer's clock (UTC here)
        context.Services.AddSingleton(factory.Services.GetRequiredService<JobProgressNotifier>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<JobAccess>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<JobQueue>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<QueueSnapshot>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<JobLeases>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    private static Task<AuthenticationState> SignedIn(string userId) =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "Test"))));

    // studio.js whose import takes until the test says so; it counts the imports and the watchers it starts.
    private sealed class SlowStudioScript : IJSRuntime, IJSObjectReference
    {
        private int _imports, _watches;

        public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Imports => Volatile.Read(ref _imports);

        public int Watches => Volatile.Read(ref _watches);

        public string? WatchedJob { get; private set; }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            if (identifier == "import")
            {
                Interlocked.Increment(ref _imports);
                await Loaded.Task;
            }
            else if (identifier == "watch")
            {
                Interlocked.Increment(ref _watches);
                WatchedJob = args?[1] as string;
            }

            return this is TValue self ? self : default!;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
