using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The fair order holds across worker processes: with every user's jobs queued before three workers start, each
/// user's n-th job starts before any user's (n+1)-th, give or take the number of workers (jobs claimed at the same
/// moment by different workers may start in either order). Judged by the jobs' StartedAt alone, so it holds for any
/// claim statement that keeps the order.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class FairnessAcrossWorkersTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Users = 12;
    private const int JobsEach = 3;
    private const int Workers = 3;

    [Fact]
    public async Task With_three_worker_processes_every_users_nth_job_starts_before_any_users_next_give_or_take_the_number_of_workers()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var node = await WebNode.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Queue:RunJobs"] = "false",
            ["Queue:MaxQueuedPerUser"] = "100",
        });

        // All of a user's jobs, then the next user's: in submission order the first user's jobs would all run first.
        // Each runs for a while (16 steps at 256²), so that all three workers are up before the queue is empty.
        var userIds = await AddUsersAsync(node, Users);
        var queue = node.Get<JobQueue>();
        var jobs = new List<(Guid Id, int User, int Nth)>();
        for (var u = 0; u < Users; u++)
        {
            for (var n = 0; n < JobsEach; n++)
            {
                var spec = new JobSpec.Txt2Img { Prompt = $"user {u} job {n}", Model = StudioHost.Model, Steps = 16, Width = 256, Height = 256, Seed = n };
                var outcome = await queue.SubmitAsync(userIds[u], spec, null, JobSource.Studio);
                jobs.Add((outcome.Job?.Id ?? throw new InvalidOperationException($"refused: {outcome.Refusal}"), u, n));
            }
        }

        var options = node.Options.With([new("Queue:Workers", "1")]) with { Mode = StudioHostMode.ChildProcess };
        var workers = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => StudioWorker.StartAsync(options)));
        try
        {
            await Poll.UntilAsync(async () =>
            {
                await using var db = node.OpenDatabase();
                return await db.Jobs.CountAsync(j => j.Status == JobStatus.Succeeded) == jobs.Count;
            }, "every job to succeed", TimeSpan.FromSeconds(120), () => string.Join("\n", workers.Select(w => w.Log)));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        // The order the jobs started in; per round n, the last n-th job against the first (n+1)-th.
        Dictionary<Guid, (DateTime StartedAt, string? WorkerId)> started;
        await using (var db = node.OpenDatabase())
        {
            started = await db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => (j.StartedAt!.Value, j.WorkerId));
        }

        var order = jobs.OrderBy(j => started[j.Id].StartedAt).ToList();
        output.WriteLine(string.Join("\n", order.Select((j, rank) => $"{rank,3}: user {j.User,2} job {j.Nth} at {started[j.Id].StartedAt:HH:mm:ss.fff} on {started[j.Id].WorkerId}")));
        Assert.True(order.Select(j => started[j.Id].WorkerId).Distinct().Count() > 1, "only one worker ran jobs: this proves nothing about several");
        for (var n = 0; n + 1 < JobsEach; n++)
        {
            var lastOfRound = order.FindLastIndex(j => j.Nth == n);
            var firstOfNext = order.FindIndex(j => j.Nth == n + 1);
            Assert.True(lastOfRound < firstOfNext + Workers,
                $"the last job {n} started at rank {lastOfRound}, the first job {n + 1} at rank {firstOfNext}: more than {Workers} places out of the fair order");
        }
    }

    private static async Task<string[]> AddUsersAsync(StudioHost node, int count)
    {
        await using var db = node.OpenDatabase();
        var users = Enumerable.Range(0, count).Select(u => new StudioUser { UserName = $"user{u}", NormalizedUserName = $"USER{u}", Email = $"user{u}@example.test" }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users.Select(u => u.Id).ToArray();
    }
}
