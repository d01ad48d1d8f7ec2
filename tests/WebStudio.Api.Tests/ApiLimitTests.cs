using System.Net;
using System.Text.Json;

namespace WebStudio.Api.Tests;

/// <summary>The API's limits answer 429 with Retry-After. (The malformed-request table lives in the hardening suite,
/// tests/WebStudio.Hardening.Tests/BadInputs.)</summary>
public sealed class ApiLimitTests
{
    [Fact]
    public async Task Too_many_submissions_get_429_with_Retry_After()
    {
        var limited = new LimitedApiServer();
        await limited.InitializeAsync();
        try
        {
            await AssertSecondSubmissionRefusedAsync(limited);
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }

    private static async Task AssertSecondSubmissionRefusedAsync(StudioHost limited)
    {
        var (_, key) = await limited.CreateUserWithKeyAsync("limited");
        using var client = limited.Client(key);

        using var first = await client.PostAsync("/v1/images/generations", JsonBody("""{"prompt":"a","size":"64x64","quality":"low"}"""));
        using var second = await client.PostAsync("/v1/images/generations", JsonBody("""{"prompt":"b","size":"64x64","quality":"low"}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        using var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_exceeded", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_full_queue_gets_429_with_Retry_After()
    {
        var full = new FullQueueApiServer();
        await full.InitializeAsync();
        try
        {
            var (_, key) = await full.CreateUserWithKeyAsync("full");
            using var client = full.Client(key);

            using var response = await client.PostAsync("/v1/images/generations", JsonBody("""{"prompt":"a","size":"64x64"}"""));

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("queue_full", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        finally
        {
            await full.DisposeAsync();
        }
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private sealed class LimitedApiServer() : StudioHost(new Dictionary<string, string?> { ["Queue:SubmissionsPerMinute"] = "1" });

    // No queued job allowed at all: every submission finds the queue full, deterministically.
    private sealed class FullQueueApiServer() : StudioHost(new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "0" });
}
