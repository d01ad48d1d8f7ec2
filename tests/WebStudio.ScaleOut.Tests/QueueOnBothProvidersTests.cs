using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests;

/// <summary>The queue's core behaviour, the same on SQLite and on PostgreSQL.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class QueueOnBothProvidersTests(PostgresServer server, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_submitted_job_is_stored_queued_with_its_spec_and_utc_times(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];

        var submitted = await core.SubmitAsync(alice, "a red cat");

        await using var db = await core.CreateDbContextAsync();
        var stored = await db.Jobs.AsNoTracking().SingleAsync();
        Assert.Equal(submitted.Id, stored.Id);
        Assert.Equal(JobStatus.Queued, stored.Status);
        Assert.Equal("a red cat", stored.Prompt);
        Assert.Contains("a red cat", stored.Spec, StringComparison.Ordinal);
        Assert.Equal(alice, stored.OwnerId);
        Assert.True(Math.Abs((stored.CreatedAt - DateTime.UtcNow).TotalMinutes) < 1, $"created at {stored.CreatedAt:O}");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Claims_run_the_administrators_pick_first_then_each_users_first_job_before_any_users_second(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var users = await core.AddUsersAsync("a", "b", "c");
        var jobs = new Dictionary<Guid, string>();
        foreach (var (user, prompt) in new[] { (0, "a1"), (0, "a2"), (1, "b1"), (0, "a3"), (1, "b2"), (2, "c1") })
        {
            jobs[(await core.SubmitAsync(users[user], prompt)).Id] = prompt;
        }

        Assert.True(await core.Queue.MoveToFrontAsync(jobs.Single(j => j.Value == "b2").Key));
        var claimed = new List<string>();
        while (await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None) is { } job)
        {
            claimed.Add(jobs[job.Id]);
        }

        // b2 was moved to the front; then each user's first job (round 0: a1, b1, c1 by age), then a2, then a3. A job
        // moved to the front runs outside the rounds, so b keeps its first-round turn with b1.
        Assert.Equal(["b2", "a1", "b1", "c1", "a2", "a3"], claimed);
    }

    /// <summary>A dynamic prompt's jobs, queued in one submission: each in its own round, so that they take turns with
    /// another user's; and none where the user's queue has no room for all of them.</summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Jobs_queued_together_take_turns_with_other_users_and_are_refused_all_together(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "4" });
        var users = await core.AddUsersAsync("a", "b");

        var together = await core.Queue.SubmitAllAsync(users[0], [StudioCore.Spec("a1"), StudioCore.Spec("a2"), StudioCore.Spec("a3")], JobSource.Studio);
        await core.SubmitAsync(users[1], "b1");
        await core.SubmitAsync(users[1], "b2");
        var over = await core.Queue.SubmitAllAsync(users[0], [StudioCore.Spec("a4"), StudioCore.Spec("a5")], JobSource.Studio);
        var claimed = new List<string>();
        while (await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None) is { } job)
        {
            claimed.Add(job.Prompt);
        }

        Assert.Equal(3, together.Jobs.Count);
        Assert.Equal(SubmitRefusal.QueueFull, over.Refusal);
        Assert.Equal(["a1", "b1", "a2", "b2", "a3"], claimed);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_canceled_queued_job_is_never_claimed_and_a_claimed_one_is_told_to_stop(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var first = await core.SubmitAsync(alice, "first");
        var second = await core.SubmitAsync(alice, "second");

        Assert.Equal(CancelOutcome.Canceled, await core.Queue.CancelAsync(second.Id, alice, isAdmin: false));
        var claimed = await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None);
        Assert.Equal(first.Id, claimed?.Id);
        Assert.Null(await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None));
        Assert.Equal(CancelOutcome.NotFound, await core.Queue.CancelAsync(first.Id, "someone else", isAdmin: false));
        Assert.Equal(CancelOutcome.Stopping, await core.Queue.CancelAsync(first.Id, alice, isAdmin: false));

        await using var db = await core.CreateDbContextAsync();
        Assert.All(await db.Jobs.AsNoTracking().ToListAsync(), j => Assert.Equal(JobStatus.Canceled, j.Status));
        Assert.Equal(CancelOutcome.AlreadyFinished, await core.Queue.CancelAsync(second.Id, alice, isAdmin: false));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Concurrent_submissions_of_one_user_never_pass_the_per_user_limit(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "5" });
        var alice = (await core.AddUsersAsync("alice"))[0];

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submissions = Enumerable.Range(0, 24).Select(async i =>
        {
            await gate.Task;
            return await core.Queue.SubmitAsync(alice, StudioCore.Spec($"job {i}"), null, JobSource.Api);
        }).ToList();
        gate.SetResult();
        var outcomes = await Task.WhenAll(submissions);

        Assert.Equal(5, outcomes.Count(o => o.Job is not null));
        Assert.Equal(19, outcomes.Count(o => o.Refusal == SubmitRefusal.QueueFull));
        await using var db = await core.CreateDbContextAsync();
        Assert.Equal(5, await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Eight_workers_claim_two_hundred_jobs_each_exactly_once(string provider)
    {
        const int Workers = 8, Jobs = 200, Users = 20;
        await using var core = await StudioCore.StartAsync(provider, server);
        var users = await core.AddUsersAsync(Enumerable.Range(0, Users).Select(i => $"user{i}").ToArray());
        for (var i = 0; i < Jobs; i++)
        {
            await core.SubmitAsync(users[i % Users], $"job {i}");
        }

        var claims = new ConcurrentBag<(Guid Job, string Worker)>();
        var latencies = new ConcurrentBag<double>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            await gate.Task;
            var worker = $"test/worker-{w}";
            while (true)
            {
                var clock = Stopwatch.StartNew();
                var job = await core.Queue.ClaimNextAsync(worker, CancellationToken.None);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                if (job is not null)
                {
                    claims.Add((job.Id, worker));
                    continue;
                }

                // Null also when every candidate was taken by others in each round: stop only on an empty queue.
                await using var db = await core.CreateDbContextAsync();
                if (!await db.Jobs.AnyAsync(j => j.Status == JobStatus.Queued))
                {
                    return;
                }
            }
        })).ToList();
        gate.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(Jobs, claims.Count);
        Assert.Equal(Jobs, claims.Select(c => c.Job).Distinct().Count());
        await using (var db = await core.CreateDbContextAsync())
        {
            var stored = await db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id);
            Assert.All(claims, c =>
            {
                Assert.Equal(JobStatus.Running, stored[c.Job].Status);
                Assert.Equal(1, stored[c.Job].Attempts);
                Assert.Equal(c.Worker, stored[c.Job].WorkerId);
            });
        }

        var sorted = latencies.Order().ToArray();
        output.WriteLine($"{provider}: {Workers} workers, {Jobs} jobs, {sorted.Length} claims: p50 {Percentiles.Of(sorted, 50):0.0} ms, p99 {Percentiles.Of(sorted, 99):0.0} ms, max {sorted[^1]:0.0} ms");
    }

    /// <summary>The sweep of jobs whose model no worker has reads the workers' model lists (a text array on
    /// PostgreSQL, JSON on SQLite) and fails only those jobs (UnservedJobs).</summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_queued_job_of_a_model_no_worker_has_fails_and_the_others_wait(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var alice = (await core.AddUsersAsync("alice"))[0];
        var gone = await core.SubmitAsync(alice, "its model was removed");
        var kept = await core.SubmitAsync(alice, "its model is installed");
        var now = DateTime.UtcNow;
        await using (var db = await core.CreateDbContextAsync())
        {
            await db.Jobs.Where(j => j.Id == gone.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Model, "gone"));
            await db.Jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.CreatedAt, now.AddMinutes(-5)));
            db.Workers.Add(new WorkerRecord { Id = "live", Models = ["tiny", "other"], StartedAt = now, LastHeartbeatAt = now });
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await core.Services.GetRequiredService<UnservedJobs>().FailAsync(CancellationToken.None));

        await using var check = await core.CreateDbContextAsync();
        var states = await check.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => (j.Status, j.FailureReason));
        Assert.Equal((JobStatus.Failed, UnservedJobs.Reason("gone")), states[gone.Id]);
        Assert.Equal((JobStatus.Queued, (string?)null), states[kept.Id]);
    }
}
