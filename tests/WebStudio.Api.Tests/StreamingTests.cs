using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using WebStudio.Studio.Previews;

namespace WebStudio.Api.Tests;

/// <summary>Streamed generations and edits over raw HTTP: SSE framing, event order and OpenAI's field names.</summary>
public sealed class StreamingTests(PacedApiServer server) : IClassFixture<PacedApiServer>
{
    private static readonly string[] PartialFields = ["type", "b64_json", "created_at", "size", "quality", "background", "output_format", "partial_image_index"];
    private static readonly string[] CompletedFields = ["type", "b64_json", "created_at", "size", "quality", "background", "output_format", "usage"];

    private static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }

        return events;
    }

    private static void AssertFields(SseEvent e, string[] expected) =>
        Assert.Equal(expected.Order(), e.Data.EnumerateObject().Select(p => p.Name).Order());

    [Theory]
    [InlineData(3, "png")]
    [InlineData(1, "jpeg")]
    [InlineData(0, "webp")]
    public async Task A_streamed_generation_sends_partials_at_spread_steps_then_completed(int partials, string format)
    {
        var (_, key) = await server.CreateUserWithKeyAsync($"stream-{partials}-{format}");
        using var client = server.Client(key);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a red circle", model = "tiny", size = "64x64", quality = "medium", stream = true, partial_images = partials, output_format = format }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = await ReadAllAsync(response);
        Assert.Equal("image_generation.completed", events[^1].Name);
        var partialEvents = events.SkipLast(1).ToList();
        // Every step is reported to the API's subscription, so none of the evenly spaced steps (5, 10, 15 of 20) is missed.
        Assert.Equal(partials, partialEvents.Count);
        Assert.Equal(partials, partialEvents.Select(e => e.Data.GetProperty("b64_json").GetString()).Distinct().Count());

        for (var i = 0; i < partialEvents.Count; i++)
        {
            var e = partialEvents[i];
            Assert.Equal("image_generation.partial_image", e.Name);
            AssertFields(e, PartialFields);
            Assert.Equal(e.Name, e.Data.GetProperty("type").GetString());
            Assert.Equal(i, e.Data.GetProperty("partial_image_index").GetInt32());
            AssertImage(e.Data, format);
        }

        var completed = events[^1];
        AssertFields(completed, CompletedFields);
        Assert.Equal("image_generation.completed", completed.Data.GetProperty("type").GetString());
        Assert.Equal(("64x64", "medium", "opaque", format), (completed.Data.GetProperty("size").GetString(), completed.Data.GetProperty("quality").GetString(),
            completed.Data.GetProperty("background").GetString(), completed.Data.GetProperty("output_format").GetString()));
        Assert.Equal(20, completed.Data.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        AssertImage(completed.Data, format);
    }

    [Fact]
    public async Task A_streamed_edit_sends_image_edit_events()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("stream-edit");
        using var client = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Bands()), "image", "image.png" },
            { new ByteArrayContent(TestImages.RightHalfMask()), "mask", "mask.png" },
            { new StringContent("a blue sky"), "prompt" },
            { new StringContent("true"), "stream" },
            { new StringContent("2"), "partial_images" },
            { new StringContent("high"), "quality" },
        };

        using var response = await client.PostAsync("/v1/images/edits", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await ReadAllAsync(response);
        Assert.Equal("image_edit.completed", events[^1].Name);
        Assert.Equal(2, events.Count - 1);
        Assert.All(events.SkipLast(1), e => Assert.Equal("image_edit.partial_image", e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_cancels_its_job()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("stream-drop");
        var jobId = await StreamUntilFirstPartialThenDropAsync(key, watchInStudio: false);

        var job = await WaitForEndAsync(jobId);
        Assert.Equal(JobStatus.Canceled, job.Status);
        Assert.Equal(userId, job.OwnerId);
    }

    [Fact]
    public async Task A_dropped_stream_leaves_the_job_running_when_it_is_open_in_the_studio()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("stream-watched");
        var jobId = await StreamUntilFirstPartialThenDropAsync(key, watchInStudio: true);

        var job = await WaitForEndAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
    }

    // A large image at high quality on the paced engine (100 ms a step; noticing a dropped connection can take a while on a busy machine) gives a run to be caught in.
    private async Task<Guid> StreamUntilFirstPartialThenDropAsync(string key, bool watchInStudio)
    {
        var notifier = server.Services.GetRequiredService<JobProgressNotifier>();
        IDisposable? studioView = null;
        using var client = server.DroppingClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "slow", model = "tiny", size = "1024x1024", quality = "high", stream = true, partial_images = 3 }),
        };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jobId = await RunningJobAsync(watchInStudio ? id => studioView = notifier.SubscribeJob(id, _ => Task.CompletedTask) : null);
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            await foreach (var e in SseReader.ReadAsync(stream))
            {
                Assert.Equal("image_generation.partial_image", e.Name);
                break;
            }
        }

        // The dropping client closes the connection, as a client that goes away does.
        response.Dispose();
        client.Dispose();
        try
        {
            var job = await WaitForEndAsync(jobId);
            return job.Id;
        }
        finally
        {
            studioView?.Dispose();
        }
    }

    private async Task<Guid> RunningJobAsync(Action<Guid>? onFound)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        for (var i = 0; i < 200; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            var job = await db.Jobs.AsNoTracking().Where(j => j.Prompt == "slow" && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
                .OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync();
            if (job is not null)
            {
                onFound?.Invoke(job.Id);
                return job.Id;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the streamed job never appeared in the queue");
    }

    private async Task<GenerationJob> WaitForEndAsync(Guid jobId)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        for (var i = 0; i < 1200; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
            if (job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled)
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {jobId} did not end");
    }

    private static void AssertImage(JsonElement data, string format)
    {
        var bytes = Convert.FromBase64String(data.GetProperty("b64_json").GetString()!);
        var detected = Image.DetectFormat(bytes);
        Assert.Equal(format, detected!.Name.ToLowerInvariant() == "jpeg" ? "jpeg" : detected.Name.ToLowerInvariant());
        using var image = Image.Load<Rgb24>(bytes);
        Assert.Equal((64, 64), (image.Width, image.Height));
    }
}
