using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Hardening.Tests.Abuse;

/// <summary>A user at the queue limit: the next submission, from the studio's /api or the Images API, gets a 429
/// with Retry-After and a message naming the limit; other users are unaffected.</summary>
[Trait("Capability", "Hardening")]
public sealed class QueueLimitTests(QueueLimitedServer server) : IClassFixture<QueueLimitedServer>
{
    private static object Job(string prompt) => new { prompt, model = StudioHost.Model, steps = 1, width = 64, height = 64 };

    [Fact]
    public async Task A_user_at_the_queue_limit_gets_429_with_Retry_After_on_api_and_v1_naming_the_limit_and_others_are_unaffected()
    {
        var full = await StudioLogin.RegisterAsync(server, "queue-full");
        var key = (await server.Services.GetRequiredService<ApiKeyService>().CreateAsync(full.UserId, "queue")).Key;
        for (var i = 0; i < QueueLimitedServer.MaxQueued; i++)
        {
            using var accepted = await full.Http.PostAsJsonAsync("/api/jobs", Job($"fill {i}"));
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        var limit = $"{QueueLimitedServer.MaxQueued} jobs per user";
        using (var refused = await full.Http.PostAsJsonAsync("/api/jobs", Job("one too many")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on /api");
            Assert.Contains(limit, await refused.Content.ReadAsStringAsync());
        }

        using var api = server.Client(key);
        using (var refused = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "one too many", size = "64x64" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on /v1");
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("queue_full", error.GetProperty("code").GetString());
            Assert.Contains(limit, error.GetProperty("message").GetString());
        }

        // Another user submits on both paths as if nothing happened.
        var other = await StudioLogin.RegisterAsync(server, "queue-neighbour");
        using (var accepted = await other.Http.PostAsJsonAsync("/api/jobs", Job("neighbour")))
        {
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        var (_, otherKey) = await server.CreateUserWithKeyAsync("queue-neighbour-api");
        using var otherApi = server.Client(otherKey);
        using var streamed = await otherApi.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "neighbour", size = "64x64", stream = true }),
        }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
    }
}
