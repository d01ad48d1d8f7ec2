using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.ScaleOut.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The cluster under fire: users submit through every web node, by the studio's endpoint and OpenAI's API (plain and
/// streamed), while a worker process is killed (SIGKILL) in the middle of a job and a web node is killed while a
/// client is mid-stream; both come back. Afterwards no job is lost, none has two results, each ended succeeded or
/// failed with a reason, a client cut off finds its job through another node, and the database and image folder
/// hold nothing orphaned (<see cref="ClusterAudit"/>).
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class ClusterChaosTests(PostgresServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task On_postgres_and_redis_100_jobs_of_20_users_survive_a_killed_worker_and_a_killed_web_node_with_none_lost_or_doubled()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var database = await server.CreateDatabaseAsync();
        var started = Stopwatch.StartNew();
        await using var cluster = await StudioCluster.StartAsync(database.ConnectionString, redis.Configuration, webNodes: 2, workers: 3);
        await RunAsync(cluster, started, users: 20, webNodes: 2, reconnectThrough: 1);
    }

    [Fact]
    public async Task On_sqlite_a_web_node_and_a_worker_process_survive_being_killed_and_the_database_file_stays_sound()
    {
        var started = Stopwatch.StartNew();
        await using var cluster = await StudioCluster.StartAsync(postgres: null, redis: null, webNodes: 1, workers: 1);
        await RunAsync(cluster, started, users: 4, webNodes: 1, reconnectThrough: 0);
        Assert.Equal("ok", await ClusterAudit.IntegrityCheckAsync(cluster));
    }

    private async Task RunAsync(StudioCluster cluster, Stopwatch started, int users, int webNodes, int reconnectThrough)
    {
        output.WriteLine($"cluster started in {started.Elapsed.TotalSeconds:0.0} s");
        var clock = Stopwatch.StartNew();
        var run = await ChaosRun.StartAsync(cluster, users, webNodes, output.WriteLine);
        await Poll.UntilAsync(async () => await CountAsync(cluster, _ => true) == run.Total, "every submission to be queued", TimeSpan.FromSeconds(60), cluster.Logs);
        output.WriteLine($"{run.Total} jobs queued after {clock.Elapsed.TotalSeconds:0.0} s");

        // Both at once: a worker killed in the middle of a job, and a web node while a client streams from it.
        var killWorker = KillAWorkerMidJobAsync(cluster);
        var killWeb = KillAWebNodeMidStreamAsync(cluster, run);
        await Task.WhenAll(killWorker, killWeb);
        var (interrupted, killedAt) = await killWorker;
        var midStream = await killWeb;

        await Poll.UntilAsync(async () => await CountAsync(cluster, j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running) == 0,
            "every job to end", TimeSpan.FromSeconds(180), cluster.Logs);
        await run.ClientsDoneAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"every job ended after {clock.Elapsed.TotalSeconds:0.0} s");

        // 0 jobs lost, 0 doubled: one job for each submission, the very one its client was told of.
        var jobs = await run.JobsByPromptAsync();
        var expected = run.Users.SelectMany(u => Enumerable.Range(0, ChaosRun.Plan.Count).Select(k => ChaosRun.Prompt(u, k))).ToList();
        Assert.Equal(expected.Order(), jobs.Keys.Order());
        Assert.All(jobs, p => Assert.True(p.Value.Count == 1, $"'{p.Key}' has {p.Value.Count} jobs"));
        Assert.All(run.StudioJobs, s => Assert.Equal(s.Value, jobs[s.Key][0].Id));
        var all = jobs.Values.Select(j => j[0]).ToList();
        Assert.All(all, j => Assert.True(j.Status == JobStatus.Succeeded || (j.Status == JobStatus.Failed && !string.IsNullOrEmpty(j.FailureReason)),
            $"'{j.Prompt}' ended {j.Status} ({j.FailureReason})\n{cluster.Logs()}"));
        var rerun = all.Single(j => j.Id == interrupted);
        Assert.True(rerun.Attempts >= 2 && rerun.Status == JobStatus.Succeeded, $"the interrupted job: {rerun.Status} after {rerun.Attempts} attempt(s)\n{cluster.Logs()}");

        // Clients of the nodes left running were answered; those cut off find their job through a node that runs.
        var cut = run.ApiOutcomes.Where(o => !ChaosRun.Answered(o.Value)).ToList();
        Assert.All(midStream, s => Assert.Contains(cut, c => c.Key == s.Prompt));
        Assert.All(cut, c => Assert.True(run.Nodes[c.Key] == 0, $"'{c.Key}' through web node {run.Nodes[c.Key]}, which ran throughout: {c.Value}"));
        foreach (var (prompt, _) in cut)
        {
            var user = run.Users.Single(u => prompt.Contains($" {u.Name} ", StringComparison.Ordinal));
            var seen = await user.JobAsync(cluster.Web(reconnectThrough), jobs[prompt][0].Id);
            Assert.True(seen.Status == "Succeeded" && seen.Images.Count == 1, $"'{prompt}' through the other node: {seen.Status}, {seen.Images.Count} image(s)");
        }

        // The kill may land while the worker stores its previous job's images beside the long one: files written
        // before the kill and never committed are left. The maintenance sweep removes such files (older than its
        // grace, here the time since the kill); any file without a row written after the kill fails the audit.
        var swept = await cluster.SweepOrphanImagesAsync(killedAt);
        output.WriteLine($"{swept} image file(s) of the killed worker without a row, removed by the orphan sweep");
        var problems = await ClusterAudit.ProblemsAsync(cluster);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        output.WriteLine($"{all.Count(j => j.Status == JobStatus.Succeeded)} succeeded, {all.Count(j => j.Status == JobStatus.Failed)} failed, "
            + $"{all.Count(j => j.Attempts > 1)} run more than once, {cut.Count} client(s) cut off, {clock.Elapsed.TotalSeconds:0.0} s in all");
    }

    /// <summary>kill -9 of a worker process in the middle of a long job, then the worker started again; the job's id,
    /// and a moment after the worker died.</summary>
    private async Task<(Guid Job, DateTime KilledAt)> KillAWorkerMidJobAsync(StudioCluster cluster)
    {
        var (job, worker) = (Guid.Empty, -1);
        await Poll.UntilAsync(async () => ((job, worker) = await LongJobRunningAsync(cluster)).worker >= 0, "a long job on a worker", TimeSpan.FromSeconds(60), cluster.Logs);
        await cluster.KillWorkerAsync(worker);
        var killedAt = DateTime.UtcNow;
        await using (var db = cluster.OpenDatabase())
        {
            var cut = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job);
            Assert.True(cut.Status == JobStatus.Running, $"the job of the killed worker was {cut.Status}, not cut off mid-run");
        }

        await cluster.StartWorkerAsync(worker);
        output.WriteLine($"worker {worker} killed mid-job and back");
        return (job, killedAt);
    }

    /// <summary>kill -9 of web node 0 while a client streams from it, past a partial image and before the result;
    /// then the node started again (on a new port). The streams it cut mid-stream.</summary>
    private async Task<List<StreamProgress>> KillAWebNodeMidStreamAsync(StudioCluster cluster, ChaosRun run)
    {
        var node = cluster.Web(0);
        // Cut past a partial image and before the result. The long stream runs ChaosRun.LongStreamSteps steps, so
        // even after its second partial a third of the job is left; at 40 steps a fresh-clone run saw the only such
        // stream complete as the kill landed. The wait is long: the same worker may be killed under that very job.
        await Poll.UntilAsync(() => run.Streams.Any(s => s.Node == node && s.IsLong && s.MidStream), "a client mid-stream on web node 0", TimeSpan.FromSeconds(180),
            () => string.Join("\n", run.Streams.Select(s => $"{s.Prompt}: open {s.Open}, {s.Partials} partial(s), completed {s.Completed}")) + "\n" + Durations(cluster) + cluster.Logs());
        var midStream = run.Streams.Where(s => s.Node == node && s.IsLong && s.MidStream).ToList(); // now, any part of the way
        await cluster.KillWebAsync(0);
        midStream.RemoveAll(s => s.Completed); // finished in the moment before the kill landed
        Assert.NotEmpty(midStream);
        await cluster.StartWebAsync(0);
        output.WriteLine($"web node 0 killed with {midStream.Count} client(s) mid-stream and back");
        return midStream;
    }

    private static string Durations(StudioCluster cluster)
    {
        using var db = cluster.OpenDatabase();
        return string.Join("\n", db.Jobs.AsNoTracking().Select(j => new { j.Steps, j.Width, j.TotalMs, j.Status }).ToList().Select(j => $"{j.Steps} steps {j.Width}: {j.TotalMs:0} ms {j.Status}"));
    }

    private static async Task<int> CountAsync(StudioCluster cluster, System.Linq.Expressions.Expression<Func<GenerationJob, bool>> where)
    {
        await using var db = cluster.OpenDatabase();
        return await db.Jobs.CountAsync(where);
    }

    /// <summary>A long job that a worker claimed between 100 ms and a second ago (so it is well inside its run) and
    /// runs now, and the worker's index; -1 for none.</summary>
    private static async Task<(Guid Job, int Worker)> LongJobRunningAsync(StudioCluster cluster)
    {
        await using var db = cluster.OpenDatabase();
        var running = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Running && j.Width == ChaosRun.LongSide && j.WorkerId != null)
            .Select(j => new { j.Id, j.StartedAt, j.WorkerId }).ToListAsync();
        foreach (var job in running.Where(j => DateTime.UtcNow - j.StartedAt is var age && age > TimeSpan.FromMilliseconds(100) && age < TimeSpan.FromSeconds(1)))
        {
            // Worker ids are "machine/pid/instance#loop".
            if (cluster.WorkerIndex(int.Parse(job.WorkerId!.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture)) is >= 0 and var worker)
            {
                return (job.Id, worker);
            }
        }

        return (Guid.Empty, -1);
    }
}
