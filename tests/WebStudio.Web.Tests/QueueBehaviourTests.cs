using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Execution;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests;

public sealed class QueueBehaviourTests
{
    [Fact]
    public async Task Fair_queue_runs_a_late_users_only_job_before_the_first_users_backlog()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");

        var first = await alice.SubmitAsync("alice 1");
        await alice.WaitForAsync(first.Id, j => j.Status == "Running");
        await alice.SubmitAsync("alice 2");
        await alice.SubmitAsync("alice 3");
        var last = await bob.SubmitAsync("bob 1");
        factory.Scripted.Open();
        await bob.WaitForEndAsync(last.Id);
        await alice.WaitForEndAsync((await alice.SubmitAsync("alice 4")).Id);

        Assert.Equal(["alice 1", "bob 1", "alice 2", "alice 3", "alice 4"], factory.Scripted.Started.ToArray());
    }

    [Fact]
    public async Task Fifo_policy_runs_in_submission_order()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:Policy"] = "Fifo" });
        factory.Scripted.Hold();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");

        var first = await alice.SubmitAsync("alice 1");
        await alice.WaitForAsync(first.Id, j => j.Status == "Running");
        await alice.SubmitAsync("alice 2");
        var last = await bob.SubmitAsync("bob 1");
        factory.Scripted.Open();
        await bob.WaitForEndAsync(last.Id);

        Assert.Equal(["alice 1", "alice 2", "bob 1"], factory.Scripted.Started.ToArray());
    }

    [Fact]
    public async Task Admin_moves_a_job_to_the_front()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var first = await alice.SubmitAsync("alice 1");
        await alice.WaitForAsync(first.Id, j => j.Status == "Running");
        var second = await alice.SubmitAsync("alice 2");
        var urgent = await alice.SubmitAsync("alice 3");
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsync($"/api/jobs/{urgent.Id}/front", null)).StatusCode);
        factory.Scripted.Open();
        await alice.WaitForEndAsync(urgent.Id);
        await alice.WaitForEndAsync(second.Id);

        Assert.Equal(["alice 1", "alice 3", "alice 2"], factory.Scripted.Started.Take(3).ToArray());
    }

    [Fact]
    public async Task Cancel_removes_a_queued_job_and_stops_a_running_one_within_a_step()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(50);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var running = await alice.SubmitAsync("long", steps: 150);
        await alice.WaitForAsync(running.Id, j => j.Status == "Running" && j.Step >= 2);
        var waiting = await alice.SubmitAsync("waiting");

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsync($"/api/jobs/{waiting.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsync($"/api/jobs/{running.Id}/cancel", null)).StatusCode);
        var stopped = await alice.WaitForEndAsync(running.Id, TimeSpan.FromSeconds(5));

        Assert.Equal("Canceled", stopped.Status);
        Assert.True(stopped.Step < 150, "the run went to its end");
        Assert.Equal("Canceled", (await alice.WaitForEndAsync(waiting.Id)).Status);
        Assert.DoesNotContain("waiting", factory.Scripted.Started);
        Assert.Empty(stopped.Images);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.Http.PostAsync($"/api/jobs/{running.Id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_cancel_made_in_one_process_stops_a_job_running_in_another()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var engine = new ScriptedEngine { StepDelay = TimeSpan.FromMilliseconds(50) };
        await using var worker = await StudioWorker.StartAsync(web.Options with { Engine = engine });

        var job = await alice.SubmitAsync("long", steps: 150);
        await alice.WaitForAsync(job.Id, j => j.Status == "Running");
        while (engine.Started.IsEmpty)
        {
            await Task.Delay(20);
        }

        var canceledAt = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsync($"/api/jobs/{job.Id}/cancel", null)).StatusCode);
        var ended = await alice.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(5));
        Assert.Equal("Canceled", ended.Status);
        Assert.Empty(ended.Images);

        // The worker's run stops too, long before its 150 steps (7.5 s) are done: within its status check
        // (JobRunner.StatusCheckInterval, 0.5 s) plus a step, with room for a slow machine.
        while (worker.Services.GetRequiredService<RunningJobs>().IsRunning(job.Id))
        {
            Assert.True(canceledAt.Elapsed < TimeSpan.FromSeconds(3), "the other process kept running the canceled job");
            await Task.Delay(20);
        }

        Assert.Empty(engine.Finished);
        Assert.Empty(web.Scripted.Started);
    }

    [Fact]
    public async Task Two_hosts_with_two_workers_each_on_one_database_run_every_job_exactly_once()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?> { ["Queue:Workers"] = "2", ["Queue:SubmissionsPerMinute"] = "1000", ["Queue:MaxQueuedPerUser"] = "100" };
        await using var hostA = ScriptedStudio.Create(folder, settings: settings);
        var alice = await StudioUserClient.RegisterAsync(hostA, "alice");
        // The second host is the worker host, with two workers too, on the same database.
        var engineB = new ScriptedEngine();
        await using var hostB = await StudioWorker.StartAsync(hostA.Options with { Engine = engineB });
        // Jobs long enough (3 × 50 ms) that host A's own workers, woken in process, cannot empty the queue before
        // host B's next poll: the test is about two hosts sharing the work, not about which wakes first.
        hostA.Scripted.StepDelay = engineB.StepDelay = TimeSpan.FromMilliseconds(50);
        await Task.Delay(300);

        var jobs = new List<Guid>();
        for (var i = 0; i < 24; i++)
        {
            jobs.Add((await alice.SubmitAsync($"job {i}", steps: 3)).Id);
        }

        foreach (var id in jobs)
        {
            Assert.Equal("Succeeded", (await alice.WaitForEndAsync(id)).Status);
        }

        var runs = hostA.Scripted.Started.Concat(engineB.Started).ToList();
        Assert.Equal(24, runs.Count);
        Assert.Equal(24, runs.Distinct().Count());
        Assert.True(engineB.Started.Count > 0, "the second host never claimed a job");
        await using var db = await hostA.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.All(await db.Jobs.ToListAsync(), j => Assert.Equal(1, j.Attempts));
    }

    [Fact]
    public async Task At_start_up_interrupted_jobs_run_again_until_the_third_attempt_then_fail_with_a_reason()
    {
        using var folder = new TempFolder();
        Guid retried, givenUp, queued;
        string owner;
        await using (var first = ScriptedStudio.Create(folder))
        {
            var alice = await StudioUserClient.RegisterAsync(first, "alice");
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
            owner = (await db.Users.SingleAsync()).Id;
        }

        // What a kill -9 leaves behind: jobs marked running by a worker of this machine, and a queued one.
        await using (var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>()
            .UseSqlite(StudioDatabase.ConnectionString(Path.Combine(folder.Path, "studio.db"))).Options))
        {
            GenerationJob Stored(string prompt)
            {
                var job = new GenerationJob { OwnerId = owner, Width = 64, Height = 64 };
                JobSpecJson.Store(job, new JobSpec.Txt2Img { Prompt = prompt, Model = "tiny", Steps = 3, Seed = 1, Width = 64, Height = 64 });
                return job;
            }

            GenerationJob Interrupted(string prompt, int attempts)
            {
                var job = Stored(prompt);
                (job.Status, job.Attempts, job.WorkerId) = (JobStatus.Running, attempts, QueueWorkerService.MachinePrefix + "1/dead");
                return job;
            }

            var a = Interrupted("retried", 2);
            var b = Interrupted("given up", 3);
            var c = Stored("queued");
            db.Jobs.AddRange(a, b, c);
            await db.SaveChangesAsync();
            (retried, givenUp, queued) = (a.Id, b.Id, c.Id);
        }

        await using var second = ScriptedStudio.Create(folder);
        var again = StudioUserClient.Anonymous(second);
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostFormAsync("/Account/Login", "login", new()
        {
            ["Input.Email"] = "alice@example.test",
            ["Input.Password"] = "Passw0rd-test",
        })).StatusCode);

        var retriedJob = await again.WaitForEndAsync(retried);
        Assert.Equal("Succeeded", retriedJob.Status);
        Assert.Equal(3, retriedJob.Attempts);
        Assert.Equal("Succeeded", (await again.WaitForEndAsync(queued)).Status);
        var failed = await again.WaitForEndAsync(givenUp);
        Assert.Equal("Failed", failed.Status);
        Assert.Contains("3 times", failed.FailureReason);
        Assert.DoesNotContain("given up", second.Scripted.Started);
    }
}
