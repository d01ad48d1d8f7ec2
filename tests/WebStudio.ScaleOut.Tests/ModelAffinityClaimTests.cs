using Microsoft.EntityFrameworkCore;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// A worker claims only jobs for models it can run, and prefers a job for a model it has loaded only within
/// Queue:ModelAffinityWindow (default 4) jobs of the head of the fair order: a job is overtaken by at most window − 1
/// jobs for that reason.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class ModelAffinityClaimTests(PostgresServer server)
{
    private static readonly WorkerModels BigLoaded = new(["tiny", "big"], ["big"]);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_job_for_the_loaded_model_within_the_window_is_taken_first(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var jobs = await QueueOfFiveAsync(core, bigAt: 3);

        var claimed = await core.Queue.ClaimNextAsync("test/worker", BigLoaded, CancellationToken.None);

        Assert.Equal(jobs[3], claimed?.Id);
        Assert.Equal(jobs[0], (await core.Queue.ClaimNextAsync("test/worker", BigLoaded, CancellationToken.None))?.Id);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Outside_the_window_fairness_wins(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var jobs = await QueueOfFiveAsync(core, bigAt: 4);

        var claimed = await core.Queue.ClaimNextAsync("test/worker", BigLoaded, CancellationToken.None);

        Assert.Equal(jobs[0], claimed?.Id);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_window_of_one_turns_the_preference_off(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:ModelAffinityWindow"] = "1" });
        var jobs = await QueueOfFiveAsync(core, bigAt: 1);

        Assert.Equal(jobs[0], (await core.Queue.ClaimNextAsync("test/worker", BigLoaded, CancellationToken.None))?.Id);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_job_moved_to_the_front_is_not_overtaken_for_a_loaded_model(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var jobs = await QueueOfFiveAsync(core, bigAt: 1);
        Assert.True(await core.Queue.MoveToFrontAsync(jobs[2]));

        Assert.Equal(jobs[2], (await core.Queue.ClaimNextAsync("test/worker", BigLoaded, CancellationToken.None))?.Id);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_worker_never_takes_a_job_for_a_model_it_cannot_run(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var jobs = await QueueOfFiveAsync(core, bigAt: 0);
        await SetModelAsync(core, jobs[1], "big");
        var tinyOnly = new WorkerModels(["tiny"], ["tiny"]);

        var claimed = new List<Guid>();
        while (await core.Queue.ClaimNextAsync("test/tiny", tinyOnly, CancellationToken.None) is { } job)
        {
            claimed.Add(job.Id);
        }

        Assert.Equal(jobs[2..], claimed);
        Assert.Equal(jobs[0], (await core.Queue.ClaimNextAsync("test/big", new WorkerModels(["big"], []), CancellationToken.None))?.Id);
        Assert.Equal(jobs[1], (await core.Queue.ClaimNextAsync("test/any", CancellationToken.None))?.Id);
    }

    /// <summary>Five users' first jobs (fair order = submission order), the one at <paramref name="bigAt"/> for model "big".</summary>
    private static async Task<Guid[]> QueueOfFiveAsync(StudioCore core, int bigAt)
    {
        var users = await core.AddUsersAsync("u0", "u1", "u2", "u3", "u4");
        var jobs = new Guid[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            jobs[i] = (await core.SubmitAsync(users[i], $"job {i}")).Id;
        }

        await SetModelAsync(core, jobs[bigAt], "big");
        return jobs;
    }

    // The scripted engine accepts only "tiny" at submission: other models are written straight into the row, as a
    // web node whose engine has them would have.
    private static async Task SetModelAsync(StudioCore core, Guid job, string model)
    {
        await using var db = await core.CreateDbContextAsync();
        await db.Jobs.Where(j => j.Id == job).ExecuteUpdateAsync(s => s.SetProperty(j => j.Model, model));
    }
}
