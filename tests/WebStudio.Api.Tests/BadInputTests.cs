using System.Net;
using System.Text.Json;
using WebStudio.Api.Tests.Infrastructure;

namespace WebStudio.Api.Tests;

/// <summary>Every malformed request gets a 4xx in OpenAI's error shape, never a 5xx, and the server keeps serving.</summary>
public sealed class BadInputTests(KeyedApiServer server) : IClassFixture<KeyedApiServer>
{
    public static TheoryData<string> Names => new(BadInputCases.All.Select(c => c.Name));

    [Fact]
    public void The_table_holds_at_least_sixty_distinct_requests()
    {
        Assert.True(BadInputCases.All.Count >= 60, $"{BadInputCases.All.Count} cases");
        Assert.Equal(BadInputCases.All.Count, BadInputCases.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_malformed_request_gets_a_4xx_in_OpenAIs_error_shape(string name)
    {
        var @case = BadInputCases.All.Single(c => c.Name == name);
        using var client = server.Client(null);
        using var request = @case.Build(server);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == @case.Status, $"{name}: expected {@case.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(["code", "message", "param", "type"], error.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        var param = error.GetProperty("param");
        Assert.Equal(@case.Param, param.ValueKind == JsonValueKind.Null ? null : param.GetString());

        using var models = await server.Client(server.Key).GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

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

    private static async Task AssertSecondSubmissionRefusedAsync(ApiServer limited)
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

    private sealed class LimitedApiServer() : ApiServer(new Dictionary<string, string?> { ["Queue:SubmissionsPerMinute"] = "1" });

    // No queued job allowed at all: every submission finds the queue full, deterministically.
    private sealed class FullQueueApiServer() : ApiServer(new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "0" });
}
