using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Execution;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>The claim's token fences every write of a run: a worker whose lease ran out, and whose job was claimed
/// again, neither stores its images nor changes the job's status, so the job ends with one set of images.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class LeasesFencingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_late_result_under_an_old_token_is_refused_and_the_job_keeps_one_set_of_images(bool lateResultLast)
    {
        using var folder = new TempFolder();
        // No workers of its own: the test claims and runs by hand, as two workers would.
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var queue = factory.Services.GetRequiredService<JobQueue>();
        var leases = factory.Services.GetRequiredService<JobLeases>();
        var runner = factory.Services.GetRequiredService<JobRunner>();
        var submitted = await alice.SubmitAsync("fenced", steps: 3, batch: 2);

        var first = (await queue.ClaimNextAsync("worker-a", CancellationToken.None))!;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            // Worker A stops responding: its lease runs out.
            await db.Jobs.Where(j => j.Id == submitted.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        Assert.Equal((1, 0), await leases.RequeueExpiredAsync(CancellationToken.None));
        var second = (await queue.ClaimNextAsync("worker-b", CancellationToken.None))!;
        Assert.Equal(submitted.Id, second.Id);
        Assert.Equal(first.ClaimToken + 1, second.ClaimToken);

        // Worker A comes back and finishes its run, before or after worker B's.
        if (lateResultLast)
        {
            await runner.RunAsync(second, "worker-b", CancellationToken.None);
            await runner.RunAsync(first, "worker-a", CancellationToken.None);
        }
        else
        {
            await runner.RunAsync(first, "worker-a", CancellationToken.None);
            await runner.RunAsync(second, "worker-b", CancellationToken.None);
        }

        Assert.Equal(2, factory.Scripted.Finished.Count); // both runs went to their end
        await using var check = await LeaseTestData.OpenAsync(factory);
        var job = await check.Jobs.Include(j => j.Images).SingleAsync(j => j.Id == submitted.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("worker-b", job.WorkerId);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(2, job.Images.Count);
        Assert.Equal(job.Images.Select(i => i.FileName).Order(StringComparer.Ordinal), LeaseTestData.ImageFiles(factory));
    }

    [Fact]
    public async Task A_late_failure_under_an_old_token_does_not_end_the_job_that_runs_again()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var queue = factory.Services.GetRequiredService<JobQueue>();
        var runner = factory.Services.GetRequiredService<JobRunner>();
        var submitted = await alice.SubmitAsync(WebStudio.Tests.Shared.ScriptedEngine.FailingPrompt, steps: 3);

        var first = (await queue.ClaimNextAsync("worker-a", CancellationToken.None))!;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            // As if A's lease ran out and B claimed the job again.
            await db.Jobs.Where(j => j.Id == submitted.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.ClaimToken, j => j.ClaimToken + 1)
                .SetProperty(j => j.WorkerId, "worker-b"));
        }

        await runner.RunAsync(first, "worker-a", CancellationToken.None);

        await using var check = await LeaseTestData.OpenAsync(factory);
        var job = await check.Jobs.SingleAsync(j => j.Id == submitted.Id);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("worker-b", job.WorkerId);
        Assert.Null(job.FailureReason);
        Assert.Null(job.FinishedAt);
    }

    [Fact]
    public async Task A_run_that_lost_its_claim_leaves_the_jobs_edit_inputs_to_the_run_that_replaces_it()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var queue = factory.Services.GetRequiredService<JobQueue>();
        var runner = factory.Services.GetRequiredService<JobRunner>();
        var inputs = factory.Services.GetRequiredService<JobInputStore>();
        var submitted = await alice.SubmitAsync("with inputs", steps: 3);
        // As an edit's prepared pixels are kept until the job ends for good.
        using (var pixels = new WebStudio.Studio.Jobs.JobInputs(new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(64, 64), null, 64, 64))
        {
            inputs.Save(submitted.Id, pixels);
        }

        var first = (await queue.ClaimNextAsync("worker-a", CancellationToken.None))!;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            await db.Jobs.Where(j => j.Id == submitted.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        await factory.Services.GetRequiredService<JobLeases>().RequeueExpiredAsync(CancellationToken.None);
        Assert.False(await runner.RunAsync(first, "worker-a", CancellationToken.None));
        var kept = inputs.Load(first);
        Assert.NotNull(kept);
        kept.Dispose();

        var second = (await queue.ClaimNextAsync("worker-b", CancellationToken.None))!;
        Assert.True(await runner.RunAsync(second, "worker-b", CancellationToken.None));
        Assert.Null(inputs.Load(second)); // ended for good: gone
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(submitted.Id)).Status);
    }

    [Fact]
    public async Task A_worker_whose_claim_was_taken_stops_its_run_within_a_heartbeat_and_writes_nothing()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease());
        factory.Scripted.StepDelay = TimeSpan.FromMilliseconds(50);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var submitted = await alice.SubmitAsync("taken", steps: 150); // 7.5 s
        await alice.WaitForAsync(submitted.Id, j => j.Status == "Running" && j.Step >= 2);

        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            // Another worker holds the job now (as after a lease lost to a network cut), for a long lease.
            await db.Jobs.Where(j => j.Id == submitted.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.ClaimToken, j => j.ClaimToken + 1)
                .SetProperty(j => j.WorkerId, "elsewhere/1/thief#0")
                .SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddHours(1)));
        }

        var taken = System.Diagnostics.Stopwatch.StartNew();
        var running = factory.Services.GetRequiredService<RunningJobs>();
        while (running.IsRunning(submitted.Id))
        {
            Assert.True(taken.Elapsed < TimeSpan.FromSeconds(3), "the worker kept running a job it no longer held");
            await Task.Delay(20);
        }

        Assert.Empty(factory.Scripted.Finished);
        await using var check = await LeaseTestData.OpenAsync(factory);
        var job = await check.Jobs.Include(j => j.Images).SingleAsync(j => j.Id == submitted.Id);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("elsewhere/1/thief#0", job.WorkerId);
        Assert.Null(job.FinishedAt);
        Assert.Empty(job.Images);
        Assert.Empty(LeaseTestData.ImageFiles(factory));
    }
}
