using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Previews;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests.Redis;

/// <summary>
/// Two web nodes that run no jobs and a worker process, on one database, images folder and a real redis-server: a
/// job submitted through node B runs in the worker, and a SignalR client on node A watches its live previews, which
/// travel through Redis only (the database's preview table stays empty throughout).
/// </summary>
[Trait("Capability", "ScaleOut")]
public sealed class PreviewsAcrossNodesTests
{
    // 150 steps of a batch of 4 at 512² on the tiny model run for seconds on a CPU: many steps to carry over.
    private const int Steps = 150;
    private const int Side = 512;
    private const int Batch = 4;

    [Fact]
    public async Task A_client_on_node_A_sees_the_live_previews_of_a_job_submitted_through_node_B_and_run_by_a_worker_process()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var folder = new TempFolder();
        var options = RedisStudioOptions.NodesWithoutJobs(folder.Path, redis);
        await using var nodeB = await StudioHost.StartAsync(options);
        var alice = await StudioLogin.RegisterAsync(nodeB, "alice"); // node B creates the database
        await using var nodeA = await StudioHost.StartAsync(options);
        await using var worker = await StudioWorker.StartAsync(options with { Mode = StudioHostMode.ChildProcess });

        var submitted = await alice.Http.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img
        {
            Prompt = "a red circle", Model = StudioHost.Model, Steps = Steps, BatchSize = Batch, Width = Side, Height = Side, Seed = 3,
        });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var job = (await submitted.Content.ReadFromJsonAsync<JobView>())!;

        using var running = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var previewRows = WatchPreviewTableAsync(nodeA, running.Token);
        await using var hub = await JobsHub.ConnectAsync(nodeA, alice.Cookies);
        var frames = new List<PreviewFrame>();
        await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job.Id).WithCancellation(running.Token))
        {
            frames.Add(frame);
        }

        await running.CancelAsync();
        Assert.Equal(0, await previewRows); // no preview bytes in the database
        Assert.True(frames[^1].Status == "Succeeded", $"ended {frames[^1].Status}\n{worker.Log}");
        var steps = frames.Where(f => f.Png is not null).Select(f => f.Step).Distinct().ToList();
        Assert.True(steps.Count >= 10, $"only {steps.Count} preview steps reached node A ({string.Join(", ", steps)})\n{worker.Log}");
        Assert.Equal(steps.Order(), steps);
        Assert.All(frames.Where(f => f.Png is not null), f => Assert.Equal(((byte)0xFF, (byte)0xD8, (string?)"image/jpeg"), (f.Png![0], f.Png[1], f.Type))); // JPEG, encoded once per frame

        var done = (await alice.Http.GetFromJsonAsync<JobView>($"/api/jobs/{job.Id}"))!;
        Assert.Equal(Batch, done.Images.Count);
    }

    // The most preview rows seen in the database while the job ran, polled every 50 ms.
    private static async Task<int> WatchPreviewTableAsync(StudioHost node, CancellationToken stop)
    {
        var most = 0;
        while (!stop.IsCancellationRequested)
        {
            await using (var db = node.OpenDatabase())
            {
                most = Math.Max(most, await db.JobPreviews.CountAsync(CancellationToken.None));
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return most;
    }
}
