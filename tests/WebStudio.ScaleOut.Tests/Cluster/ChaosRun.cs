using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Jobs;

namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>
/// Many users submitting at once through every web node of a <see cref="StudioCluster"/>, by every way a client has:
/// the studio's /api/jobs and OpenAI's /v1/images/generations, plain and streamed. Each user sends
/// <see cref="Plan"/>'s jobs together, each with a prompt of its own, so that every job can be found in the database
/// even when its client never heard back. The run records what each client was told.
/// </summary>
public sealed class ChaosRun
{
    /// <summary>Steps of the long studio jobs (at <see cref="LongSide"/>²), the ones a worker is killed in the middle of.</summary>
    public const int LongSteps = 60;

    /// <summary>Steps of the long streamed jobs, the ones a web node is killed in the middle of: after the first of 3
    /// partials (a quarter of the way) three quarters are left, seconds even on a fast machine, so the kill lands
    /// mid-stream. At "high"'s 40 steps a fresh-clone run saw the stream complete as the kill landed.</summary>
    public const int LongStreamSteps = 120;

    /// <summary>The side of the long streamed jobs. At 512² a fresh-clone run finished the 120 steps in 1.1 s, before
    /// the SQLite relay's 250 ms ticks had carried one partial image across processes; at 1024² a step takes about four
    /// times as long.</summary>
    public const int LongStreamSide = 1024;

    /// <summary>The side of long jobs: the tiny model runs a step of 64² in well under a millisecond, of 512² in tens.</summary>
    public const int LongSide = 512;

    /// <summary>Every how many users one has long jobs (the others' run in milliseconds): user 0, on web node 0, and
    /// a few more.</summary>
    public const int LongEvery = 8;

    private readonly StudioCluster _cluster;
    private readonly List<Task> _clients = [];

    private ChaosRun(StudioCluster cluster) => _cluster = cluster;

    /// <summary>What each user submits: the studio's endpoint twice (one long job), the API plainly twice and streamed once.</summary>
    public static readonly IReadOnlyList<Way> Plan = [Way.Studio, Way.Stream, Way.Api, Way.LongStudio, Way.Api];

    public enum Way
    {
        Studio,
        LongStudio,
        Api,
        Stream,
    }

    public IReadOnlyList<ClusterUser> Users { get; private set; } = [];

    /// <summary>Ids of the studio submissions, as /api/jobs answered them.</summary>
    public ConcurrentDictionary<string, Guid> StudioJobs { get; } = new();

    /// <summary>Every API request's prompt and how it ended for its client (a status code, or the exception's type).</summary>
    public ConcurrentDictionary<string, string> ApiOutcomes { get; } = new();

    public ConcurrentBag<StreamProgress> Streams { get; } = [];

    /// <summary>The web node each prompt was submitted through.</summary>
    public ConcurrentDictionary<string, int> Nodes { get; } = new();

    public int Total => Users.Count * Plan.Count;

    /// <summary>Registers <paramref name="users"/> users (spread over the web nodes) and starts all their submissions.</summary>
    public static async Task<ChaosRun> StartAsync(StudioCluster cluster, int users, int webNodes, Action<string> log)
    {
        var run = new ChaosRun(cluster);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var registered = await Task.WhenAll(Enumerable.Range(0, users).Select(u => cluster.RegisterAsync($"user{u:00}", u % webNodes)));
        run.Users = registered;
        log($"{users} users registered in {clock.Elapsed.TotalSeconds:0.0} s");
        for (var u = 0; u < users; u++)
        {
            for (var k = 0; k < Plan.Count; k++)
            {
                run._clients.Add(run.SubmitAsync(registered[u], u % webNodes, k));
            }
        }

        return run;
    }

    public static string Prompt(ClusterUser user, int k) => $"a photo of the cat {user.Name} job {k}";

    /// <summary>Waits for every client to be done (answered, or cut off by a killed node).</summary>
    public Task ClientsDoneAsync() => Task.WhenAll(_clients);

    /// <summary>Every job in the database, by prompt.</summary>
    public async Task<Dictionary<string, List<GenerationJob>>> JobsByPromptAsync()
    {
        await using var db = _cluster.OpenDatabase();
        var jobs = await db.Jobs.AsNoTracking().Include(j => j.Images).ToListAsync();
        return jobs.GroupBy(j => j.Prompt).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>Whether <paramref name="user"/> submits long jobs (the first of every <see cref="LongEvery"/>).</summary>
    public bool SubmitsLongJobs(ClusterUser user) => Users.ToList().IndexOf(user) % LongEvery == 0;

    private async Task SubmitAsync(ClusterUser user, int node, int k)
    {
        await Task.Yield();
        var isLong = SubmitsLongJobs(user);
        var prompt = Prompt(user, k);
        var web = _cluster.Web(node);
        Nodes[prompt] = node;
        try
        {
            switch (Plan[k])
            {
                case Way.Studio or Way.LongStudio:
                    var spec = Plan[k] == Way.LongStudio && isLong
                        ? new JobSpec.Txt2Img { Prompt = prompt, Model = StudioHost.Model, Steps = LongSteps, Width = LongSide, Height = LongSide, Seed = k }
                        : new JobSpec.Txt2Img { Prompt = prompt, Model = StudioHost.Model, Steps = 4 + k, Width = 64, Height = 64, Seed = k };
                    StudioJobs[prompt] = await user.SubmitAsync(web, spec);
                    break;
                case Way.Api:
                    ApiOutcomes[prompt] = ((int)await user.GenerateAsync(web, prompt, "64x64", "low")).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case Way.Stream:
                    var progress = new StreamProgress(prompt, isLong);
                    Streams.Add(progress);
                    await (isLong
                        ? user.StreamAsync(web, prompt, $"{LongStreamSide}x{LongStreamSide}", "high", 3, progress, LongStreamSteps)
                        : user.StreamAsync(web, prompt, "128x128", "medium", 2, progress));
                    ApiOutcomes[prompt] = progress.Completed ? "completed" : $"ended without its image ({progress.Status})";
                    break;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            ApiOutcomes[prompt] = e.GetType().Name; // its node was killed under it
        }
    }

    /// <summary>Answered 200 (plain), or streamed to the end.</summary>
    public static bool Answered(string outcome) => outcome is "200" or "completed";
}
