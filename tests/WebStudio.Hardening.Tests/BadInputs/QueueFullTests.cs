using System.Net;
using System.Net.Http.Json;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>A full per-user queue answers 429 with Retry-After on /api, as on /v1.</summary>
[Trait("Capability", "Hardening")]
public sealed class QueueFullTests(QueueFullTests.FullQueueServer server) : IClassFixture<QueueFullTests.FullQueueServer>
{
    [Fact]
    public async Task A_full_queue_on_api_gets_429_with_Retry_After_and_says_why()
    {
        var user = await StudioLogin.RegisterAsync(server, "full-queue");

        using var response = await user.Http.PostAsJsonAsync("/api/jobs", new { prompt = "a", model = StudioHost.Model, width = 64, height = 64, steps = 2 });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        Assert.Contains("queue is full", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>No queued job allowed at all: every submission finds the queue full, deterministically.</summary>
    public sealed class FullQueueServer() : StudioHost(new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "0" });
}
