using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Previews;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests.Redis;

/// <summary>
/// Redis killed while a web node (running no jobs) and a worker process use it: a job submitted then still runs, and
/// its watcher on the web node sees it end with its images, without live frames; once Redis is back, live frames
/// come back too.
/// </summary>
[Trait("Capability", "ScaleOut")]
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task With_Redis_down_jobs_run_and_end_for_their_watchers_without_frames_and_frames_come_back_with_Redis()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var folder = new TempFolder();
        var options = RedisStudioOptions.NodesWithoutJobs(folder.Path, redis);
        await using var node = await StudioHost.StartAsync(options);
        var alice = await StudioLogin.RegisterAsync(node, "alice");
        await using var worker = await StudioWorker.StartAsync(options with { Mode = StudioHostMode.ChildProcess });
        await using var hub = await JobsHub.ConnectAsync(node, alice.Cookies);

        await redis.StopAsync();
        var whileDown = await SubmitAsync(alice, steps: 40);
        var downFrames = await WatchAsync(hub, whileDown);
        var stored = (await alice.Http.GetFromJsonAsync<JobView>($"/api/jobs/{whileDown}"))!;

        await redis.StartAsync();
        var framesBack = 0;
        for (var attempt = 0; framesBack == 0 && attempt < 5; attempt++)
        {
            // The clients reconnect on their own schedule: a long job gives them its whole run to do so.
            var afterwards = await SubmitAsync(alice, steps: 150);
            framesBack = (await WatchAsync(hub, afterwards)).Count(f => f.Png is not null);
        }

        Assert.True(downFrames[^1].Status == "Succeeded", $"ended {downFrames[^1].Status}\n{worker.Log}");
        Assert.DoesNotContain(downFrames, f => f.Png is not null);
        Assert.Equal("Succeeded", stored.Status);
        Assert.Equal(2, stored.Images.Count);
        Assert.True(framesBack > 0, $"no live frame reached the web node after Redis came back\n{worker.Log}");
    }

    private static async Task<Guid> SubmitAsync(StudioLogin user, int steps)
    {
        var submitted = await user.Http.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img
        {
            Prompt = "a red circle", Model = StudioHost.Model, Steps = steps, BatchSize = 2, Width = 256, Height = 256, Seed = 5,
        });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        return (await submitted.Content.ReadFromJsonAsync<JobView>())!.Id;
    }

    private static async Task<List<PreviewFrame>> WatchAsync(HubConnection hub, Guid job)
    {
        using var patience = new CancellationTokenSource(Patience);
        var frames = new List<PreviewFrame>();
        await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job).WithCancellation(patience.Token))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
