using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Web.Hubs;
using WebStudio.Studio.Previews;

namespace WebStudio.Api.Tests;

/// <summary>API jobs are studio jobs: the owner watches them live over the studio's SignalR hub.</summary>
public sealed class StudioWatchTests(PacedApiServer server) : IClassFixture<PacedApiServer>
{
    [Fact]
    public async Task An_API_job_is_watched_live_in_the_studio_and_outlives_its_dropped_stream_there()
    {
        var login = await StudioLogin.RegisterAsync(server, "watcher");
        var key = (await server.Services.GetRequiredService<ApiKeyService>().CreateAsync(login.UserId, "script")).Key;
        var api = server.DroppingClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "watched", size = "1024x1024", quality = "high", stream = true, partial_images = 3 }),
        };
        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jobId = await JobOfAsync(login.UserId);

        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, JobsHub.Path), options => options.Cookies = login.Cookies)
            .Build();
        await hub.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var frames = new List<PreviewFrame>();
        var watching = Task.Run(async () =>
        {
            await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", jobId, timeout.Token))
            {
                frames.Add(frame);
            }
        });

        // The API client reads one partial image and goes away; the studio view keeps the job alive.
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            await foreach (var e in SseReader.ReadAsync(stream))
            {
                Assert.Equal("image_generation.partial_image", e.Name);
                break;
            }
        }

        response.Dispose();
        api.Dispose();
        await watching;

        Assert.Equal(nameof(JobStatus.Succeeded), frames[^1].Status);
        Assert.True(frames.Count(f => f.Png is not null) >= 2, $"{frames.Count} frames");
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var job = await db.Jobs.Include(j => j.Images).SingleAsync(j => j.Id == jobId);
        Assert.Equal((JobSource.Api, JobStatus.Succeeded, 1), (job.Source, job.Status, job.Images.Count));
    }

    private async Task<Guid> JobOfAsync(string userId)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        for (var i = 0; i < 200; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            if (await db.Jobs.AsNoTracking().Where(j => j.OwnerId == userId).Select(j => (Guid?)j.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the API job never appeared in the queue");
    }
}
