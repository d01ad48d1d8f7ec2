using System.Net;
using System.Net.Http.Json;
using WebStudio.Api.Tests.Infrastructure;

namespace WebStudio.Api.Tests;

/// <summary>A program calling a process that runs no jobs still gets its partial images and its result, which a worker
/// process on the same database makes.</summary>
public sealed class TwoProcessTests(TwoProcessServers servers) : IClassFixture<TwoProcessServers>
{
    [Fact]
    public async Task A_streamed_generation_on_a_process_without_workers_gets_partials_and_the_image_from_the_worker_process()
    {
        var (_, key) = await servers.Web.CreateUserWithKeyAsync("remote");
        using var client = servers.Web.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a red circle", model = "tiny", size = "64x64", quality = "high", stream = true, partial_images = 2 }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync()).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
        {
            events.Add(e);
        }

        Assert.Equal("image_generation.completed", events[^1].Name);
        Assert.StartsWith("iVBORw0KGgo", events[^1].Data.GetProperty("b64_json").GetString()); // a PNG
        // Previews cross between the processes a few times a second, so at least one partial comes before the end of a
        // 40-step job.
        var partials = events.SkipLast(1).ToList();
        Assert.InRange(partials.Count, 1, 2);
        Assert.All(partials, e => Assert.Equal("image_generation.partial_image", e.Name));
    }

    [Fact]
    public async Task A_plain_generation_on_a_process_without_workers_is_answered_with_the_worker_process_image()
    {
        var (_, key) = await servers.Web.CreateUserWithKeyAsync("remote-plain");
        using var client = servers.Web.Client(key);
        using var response = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a blue square", model = "tiny", size = "64x64", quality = "low", n = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
    }
}
