using System.Net;
using System.Net.Http.Json;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.ScaleOut.Tests;

/// <summary>The per-user submission rate limit holds for two web nodes on one PostgreSQL database together.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class RateLimitAcrossNodesTests(PostgresServer server)
{
    private const int PerMinute = 6;

    [Fact]
    public async Task Submissions_through_two_nodes_together_are_held_to_the_users_limit()
    {
        await using var database = await server.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Queue:SubmissionsPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queue:MaxQueuedPerUser"] = "100",
            ["Queue:RunJobs"] = "false",
        };
        await using var nodes = new NodePair(await WebNode.StartAsync(database.ConnectionString, settings), await WebNode.StartAsync(database.ConnectionString, settings));

        // One account, signed in on each node (each node's own cookie: this test is about the limit, not the keys).
        var onA = await StudioLogin.RegisterAsync(nodes.A, "alice");
        using var onB = await SignInAsync(nodes.B, "alice@example.test");

        // Both nodes at once, alternating: a per-node limit would accept up to twice the figure.
        var submissions = Enumerable.Range(0, 4 * PerMinute).Select(i => (i % 2 == 0 ? onA.Http : onB).PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img
        {
            Prompt = $"job {i}",
            Model = StudioHost.Model,
            Steps = 2,
            Seed = i,
        })).ToList();
        var responses = await Task.WhenAll(submissions);

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(PerMinute, accepted);
        Assert.Equal(3 * PerMinute, refused.Count);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(60), $"Retry-After {r.Headers.RetryAfter}"));

        // A third, later submission through either node is still refused: the window is the database's.
        using var later = await onB.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img { Prompt = "later", Model = StudioHost.Model, Steps = 2, Seed = 1 });
        Assert.Equal(HttpStatusCode.TooManyRequests, later.StatusCode);
    }

    /// <summary>The login form on <paramref name="node"/>: a client holding that node's cookie.</summary>
    private static async Task<HttpClient> SignInAsync(StudioHost node, string email)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };
        using var response = await StudioAccountForms.PostAsync(http, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Passw0rd-test",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"login answered {(int)response.StatusCode}");
        return http;
    }
}
