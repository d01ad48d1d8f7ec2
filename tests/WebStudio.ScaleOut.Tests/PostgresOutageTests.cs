using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// PostgreSQL stopped and started again under a running studio: pages and the API answer 503 in plain words while it
/// is down, and every job, queued or running, ends with one set of images after it is back. The server is this
/// class's own (stopping the assembly's would break other tests' databases); the class joins the PostgreSQL
/// collection so that it does not run beside them.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutageTests(OutagePostgresServer server) : IClassFixture<OutagePostgresServer>
{
    private const string Words = "cannot reach its database";

    [Fact]
    public async Task While_the_database_is_down_pages_answer_a_503_page_and_the_api_a_503_in_openai_shape_and_all_work_again_after()
    {
        await using var database = await server.CreateDatabaseAsync();
        var node = await WebNode.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        try
        {
            var alice = await StudioLogin.RegisterAsync(node, "alice");
            var (_, key) = await node.CreateUserWithKeyAsync("bob");
            using var api = node.Client(key);
            Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/history")).StatusCode);

            await server.StopAsync();
            try
            {
                using var page = await alice.Http.GetAsync("/history");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
                Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
                var html = await page.Content.ReadAsStringAsync();
                Assert.Contains(Words, html, StringComparison.Ordinal);
                Assert.Contains("nothing you made is lost", html, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
                Assert.True(page.Headers.RetryAfter?.Delta > TimeSpan.Zero, "the page has no Retry-After");

                using var v1 = await api.GetAsync("/v1/models");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, v1.StatusCode);
                Assert.True(v1.Headers.RetryAfter?.Delta > TimeSpan.Zero, "/v1 has no Retry-After");
                using (var json = JsonDocument.Parse(await v1.Content.ReadAsStringAsync()))
                {
                    var error = json.RootElement.GetProperty("error");
                    Assert.Contains(Words, error.GetProperty("message").GetString(), StringComparison.Ordinal);
                    Assert.Equal("server_error", error.GetProperty("type").GetString());
                    Assert.Equal("service_unavailable", error.GetProperty("code").GetString());
                    Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
                }

                using var studioApi = await alice.Http.GetAsync("/api/history");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, studioApi.StatusCode);
                Assert.Equal("application/problem+json", studioApi.Content.Headers.ContentType?.MediaType);
                Assert.Contains(Words, await studioApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.True(studioApi.Headers.RetryAfter?.Delta > TimeSpan.Zero, "/api has no Retry-After");
            }
            finally
            {
                await server.StartAsync();
            }

            // Back: the same sign-in, the same key (pooled connections to the old server are replaced as they fail).
            await Eventually(async () => (await alice.Http.GetAsync("/history")).StatusCode == HttpStatusCode.OK, "the page");
            await Eventually(async () => (await api.GetAsync("/v1/models")).StatusCode == HttpStatusCode.OK, "/v1/models");
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Queued_jobs_and_the_running_one_all_end_with_one_set_of_images_after_an_outage()
    {
        const int Jobs = 4;
        await using var database = await server.CreateDatabaseAsync();
        var node = await WebNode.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Queue:Workers"] = "1" }, stepPause: TimeSpan.FromMilliseconds(250));
        try
        {
            var alice = await StudioLogin.RegisterAsync(node, "alice");
            var ids = new List<Guid>();
            for (var i = 0; i < Jobs; i++)
            {
                using var submitted = await alice.Http.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img { Prompt = $"job {i}", Model = StudioHost.Model, Steps = 8, Seed = i });
                Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
                ids.Add((await submitted.Content.ReadFromJsonAsync<JobView>())!.Id);
            }

            // The first job is mid-run (8 steps of 250 ms) when the database goes away, for longer than it needs to finish.
            await Eventually(async () => (await alice.Http.GetFromJsonAsync<JobView>($"/api/jobs/{ids[0]}"))!.Step >= 2, "the first job's second step");
            var stopped = DateTime.UtcNow;
            await server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            await server.StartAsync();

            var ended = new Dictionary<Guid, JobView>();
            await Eventually(async () =>
            {
                foreach (var id in ids.Where(id => !ended.ContainsKey(id)))
                {
                    using var response = await alice.Http.GetAsync($"/api/jobs/{id}");
                    if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JobView>())! is { Status: "Succeeded" or "Failed" or "Canceled" } job)
                    {
                        ended[id] = job;
                    }
                }

                return ended.Count == Jobs;
            }, "every job's end", TimeSpan.FromMinutes(2));

            Assert.All(ended.Values, job => Assert.True(job.Status == "Succeeded", $"{job.Prompt} ended {job.Status}: {job.FailureReason}"));
            Assert.All(ended.Values, job => Assert.Single(job.Images));
            Assert.True(ended[ids[0]].FinishedAt > stopped, $"the first job ended at {ended[ids[0]].FinishedAt:O}, before the outage at {stopped:O}");

            // Straight from the database: one set of image rows per job, and no job left running or queued.
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT \"JobId\") FROM \"GeneratedImages\"", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((Jobs, Jobs), (reader.GetInt64(0), reader.GetInt64(1)));
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
