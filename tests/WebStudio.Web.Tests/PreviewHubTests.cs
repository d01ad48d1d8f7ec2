using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

public sealed class PreviewHubTests
{
    [Fact]
    public async Task The_owner_watches_every_step_then_the_final_status_and_others_are_refused()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var pace = new WatcherPace();
        factory.Scripted.Pace = pace;
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var job = await alice.SubmitAsync("watched", steps: 8);

        await using var aliceHub = await alice.ConnectHubAsync();
        var frames = new List<PreviewFrame>();
        var watching = Task.Run(async () =>
        {
            await foreach (var frame in aliceHub.StreamAsync<PreviewFrame>("WatchJob", job.Id))
            {
                frames.Add(frame);
                pace.Received();
            }
        });

        await using var bobHub = await bob.ConnectHubAsync();
        var refused = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in bobHub.StreamAsync<PreviewFrame>("WatchJob", job.Id))
            {
            }
        });
        Assert.Contains("job not found", refused.Message);

        factory.Scripted.Open();
        await watching.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("Succeeded", frames[^1].Status);
        var steps = frames.Where(f => f.Png is not null).Select(f => f.Step).Distinct().ToList();
        Assert.True(steps.Count >= 3, $"only {steps.Count} distinct preview steps arrived");
        Assert.Equal(steps.Order(), steps);
        Assert.All(frames.Where(f => f.Png is not null), f => Assert.Equal(((byte)0xFF, (byte)0xD8, (string?)"image/jpeg"), (f.Png![0], f.Png[1], f.Type))); // JPEG, encoded once per frame

        // The administrator may watch anyone's job; a finished one answers its final status at once.
        await using var adminHub = await admin.ConnectHubAsync();
        var adminFrames = new List<PreviewFrame>();
        await foreach (var frame in adminHub.StreamAsync<PreviewFrame>("WatchJob", job.Id))
        {
            adminFrames.Add(frame);
        }

        Assert.Equal("Succeeded", Assert.Single(adminFrames).Status);
    }

    [Fact]
    public async Task A_reattaching_view_gets_the_latest_frame_over_http_while_the_job_runs()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(40);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var job = await alice.SubmitAsync("slow", steps: 60);

        // A view watches a few steps, then goes (a reload): frames are drawn only while someone watches.
        await using (var hub = await alice.ConnectHubAsync())
        {
            await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job.Id))
            {
                if (frame.Png is not null && frame.Step >= 3)
                {
                    break;
                }
            }
        }

        var preview = await alice.Http.GetAsync($"/api/jobs/{job.Id}/preview");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType!.MediaType);
        Assert.True(int.Parse(preview.Headers.GetValues("X-Preview-Step").Single()) >= 3);
        Assert.Equal("no-store", preview.Headers.CacheControl!.ToString());
        await alice.Http.PostAsync($"/api/jobs/{job.Id}/cancel", null);
    }

    [Fact]
    public async Task A_view_on_another_process_sharing_the_database_sees_the_previews_and_the_end()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var engine = new ScriptedEngine { StepDelay = TimeSpan.FromMilliseconds(40) };
        await using var worker = await StudioWorker.StartAsync(web.Options with { Engine = engine });
        var job = await alice.SubmitAsync("elsewhere", steps: 60); // 2.4 s: about ten relayed frames

        // Alice's view is connected to the web process only; the job runs in the worker process.
        await using var hub = await alice.ConnectHubAsync();
        var frames = new List<PreviewFrame>();
        await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job.Id).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            frames.Add(frame);
            if (frames.Count(f => f.Png is not null) == 2)
            {
                // Mid-run, the web process also serves the latest preview over HTTP.
                var preview = await alice.Http.GetAsync($"/api/jobs/{job.Id}/preview");
                Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
                Assert.Equal("image/jpeg", preview.Content.Headers.ContentType!.MediaType);
            }
        }

        Assert.Empty(web.Scripted.Started);
        Assert.Equal("Succeeded", frames[^1].Status);
        Assert.Equal(60, frames[^1].Step);
        var steps = frames.Where(f => f.Png is not null).Select(f => f.Step).Distinct().ToList();
        Assert.True(steps.Count >= 3, $"only {steps.Count} distinct preview steps crossed over ({string.Join(", ", frames.Select(f => $"{f.Status} {f.Step}"))})");
        Assert.Equal(steps.Order(), steps);
        Assert.All(frames.Where(f => f.Png is not null), f => Assert.Equal(((byte)0xFF, (byte)0xD8, (string?)"image/jpeg"), (f.Png![0], f.Png[1], f.Type))); // JPEG, encoded once per frame

        // The worker removes its stored frame once the job is over.
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await db.JobPreviews.AnyAsync(p => p.JobId == job.Id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await db.JobPreviews.AnyAsync(p => p.JobId == job.Id));
    }

    [Fact]
    [Trait("Capability", "StudioUx")] // previews are drawn and encoded only when someone watches
    public async Task A_job_that_no_view_elsewhere_follows_has_no_frame_drawn_encoded_or_written_to_the_database()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var engine = new ScriptedEngine { StepDelay = TimeSpan.FromMilliseconds(20) };
        await using var worker = await StudioWorker.StartAsync(web.Options with { Engine = engine });
        var job = await alice.SubmitAsync("unwatched", steps: 60); // 1.2 s: about five relay ticks

        // Nobody watches: the worker's relay writes nothing, tick after tick, while the job runs to its end.
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var rows = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await db.Jobs.AsNoTracking().Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync() is JobStatus.Queued or JobStatus.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not end");
            rows = Math.Max(rows, await db.JobPreviews.CountAsync());
            await Task.Delay(20);
        }

        Assert.Equal(JobStatus.Succeeded, await db.Jobs.AsNoTracking().Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync());
        Assert.True(engine.Started.Count == 1, "the worker ran the job");
        Assert.Equal(0, rows);
        Assert.Equal(0, engine.PreviewsDrawn);
    }

    [Fact]
    [Trait("Capability", "StudioUx")] // previews are drawn only when someone watches, and only as often as they are sent
    public async Task A_job_nobody_watches_draws_no_preview_and_a_watched_one_draws_them_at_half_the_watchers_pace()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder); // Generation:PreviewIntervalMs 100, the default
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(10);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var unwatched = await alice.SubmitAsync("unwatched", steps: 20);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(unwatched.Id)).Status);
        Assert.Equal(0, factory.Scripted.PreviewsDrawn);

        var (frames, elapsed) = await WatchWholeJobAsync(factory, alice, steps: 40);

        // 40 steps of 10 ms: a picture at the first step, then one per 50 ms at most (half the 100 ms pace).
        var drawn = factory.Scripted.PreviewsDrawn;
        Assert.Equal("Succeeded", frames[^1].Status);
        Assert.Contains(frames, f => f.Png is not null);
        Assert.InRange(drawn, 2, 1 + (int)(elapsed.TotalMilliseconds / 50));
        Assert.True(drawn < 40, $"{drawn} pictures drawn for 40 steps");
    }

    [Fact]
    [Trait("Capability", "StudioUx")]
    public async Task With_no_pace_a_watched_job_draws_every_step()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Generation:PreviewIntervalMs"] = "0" });
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(10);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var (frames, _) = await WatchWholeJobAsync(factory, alice, steps: 20);

        Assert.Equal("Succeeded", frames[^1].Status);
        Assert.Equal(20, factory.Scripted.PreviewsDrawn);
    }

    // Submits a held job, watches it from before its first step to its end, and times its steps.
    private static async Task<(List<PreviewFrame> Frames, TimeSpan Elapsed)> WatchWholeJobAsync(StudioHost factory, StudioUserClient user, int steps)
    {
        factory.Scripted.Hold();
        var watched = await user.SubmitAsync("watched", steps: steps);
        await using var hub = await user.ConnectHubAsync();
        var frames = new List<PreviewFrame>();
        var watching = Task.Run(async () =>
        {
            await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", watched.Id))
            {
                frames.Add(frame);
            }
        });
        await WaitForWatcherAsync(factory, watched.Id);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        factory.Scripted.Open();
        await watching.WaitAsync(TimeSpan.FromSeconds(20));
        return (frames, clock.Elapsed);
    }

    private static async Task WaitForWatcherAsync(StudioHost factory, Guid jobId)
    {
        var notifier = factory.Services.GetRequiredService<JobProgressNotifier>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!notifier.IsWatched(jobId))
        {
            Assert.True(DateTime.UtcNow < deadline, "the view did not start watching");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_queue_view_on_another_process_refreshes_when_the_worker_process_starts_and_finishes_a_job()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var refreshes = 0;
        using var queueView = web.Services.GetRequiredService<JobProgressNotifier>().SubscribeQueue(() =>
        {
            Interlocked.Increment(ref refreshes);
            return Task.CompletedTask;
        });
        var job = await alice.SubmitAsync("elsewhere", steps: 40);
        await Task.Delay(SharedProgressRelay.Interval * (SharedProgressRelay.QueueCheckEvery + 1)); // the relay has seen the queued job
        var afterSubmission = Volatile.Read(ref refreshes);

        var engine = new ScriptedEngine { StepDelay = TimeSpan.FromMilliseconds(20) };
        await using var worker = await StudioWorker.StartAsync(web.Options with { Engine = engine });
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(job.Id)).Status);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Volatile.Read(ref refreshes) == afterSubmission && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(web.Scripted.Started);
        Assert.True(Volatile.Read(ref refreshes) > afterSubmission, "the queue view on the web process never heard of the other process's work");
    }

    [Fact]
    public void A_slow_watcher_keeps_only_the_newest_frame_and_never_blocks_the_worker()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        using var gone = new CancellationTokenSource();
        var reader = notifier.Watch(jobId, Data.JobStatus.Running, 100, gone.Token);

        for (var step = 1; step <= 100; step++)
        {
            notifier.Report(jobId, Data.JobStatus.Running, step, 100, [0x89, (byte)step]);
        }

        Assert.True(reader.TryRead(out var newest));
        Assert.Equal(100, newest!.Step);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(100, notifier.GetLatestFrame(jobId)!.Step);
        gone.Cancel();
        Assert.True(reader.Completion.IsCompleted);
    }
}
