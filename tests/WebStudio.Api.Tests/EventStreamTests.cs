using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebStudio.Api.Tests;

/// <summary>The stream is written by ASP.NET Core's TypedResults.ServerSentEvents, byte for byte in the framing OpenAI's clients read.</summary>
[Trait("Capability", "StudioCore")]
public sealed class EventStreamTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task A_stream_comes_from_the_platforms_event_stream_in_OpenAIs_framing()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("framing");
        using var client = server.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a red circle", size = "64x64", quality = "low", stream = true, partial_images = 1 }),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}"); // the platform's result
        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("}\n\n", body, StringComparison.Ordinal); // the stream simply ends after the last event, with no sentinel
        var events = body[..^2].Split("\n\n");
        Assert.Equal(["image_generation.partial_image", "image_generation.completed"], events.Select(e => e.Split('\n')[0]["event: ".Length..]));
        foreach (var e in events)
        {
            var lines = e.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: {", lines[1]);
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            Assert.Equal(lines[0]["event: ".Length..], data.RootElement.GetProperty("type").GetString());
        }
    }
}
