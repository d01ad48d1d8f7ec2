using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests.Operations;

/// <summary>What a load balancer and a monitoring system read from a web node: liveness, readiness (database and
/// Redis), and the Prometheus metrics, protected or bound apart.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class OperationsEndpointsTests
{
    [Fact]
    public async Task Readiness_follows_Redis_while_liveness_stays_up()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var node = await StudioHost.StartAsync(new StudioHostOptions
        {
            Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Configuration },
        });
        using var anonymous = node.Client(null);

        var ready = await ReadAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Json.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.Json.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        await redis.StopAsync();
        var down = await ReadAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal("Unhealthy", down.Json.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(anonymous, "/healthz")).Status); // alive: no restart for an outage

        await redis.StartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await ReadAsync(anonymous, "/readyz")).Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node did not become ready again after Redis came back");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Metrics_are_for_administrators_and_count_the_jobs_that_ran()
    {
        await using var node = await StudioHost.StartAsync(new StudioHostOptions());
        var admin = await StudioLogin.RegisterAsync(node, "admin"); // the first account administers the studio
        var member = await StudioLogin.RegisterAsync(node, "member");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };

        var submitted = await member.Http.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img { Prompt = "a red circle", Model = StudioHost.Model, Steps = 3, Seed = 1 });
        var job = (await submitted.Content.ReadFromJsonAsync<JobView>())!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await member.Http.GetFromJsonAsync<JobView>($"/api/jobs/{job.Id}"))!.Status != "Succeeded")
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not finish");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/metrics")).StatusCode); // to the sign-in page
        using (var refused = await member.Http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
            Assert.Contains("AccessDenied", refused.Headers.Location?.ToString()); // a member is no administrator
        }

        var text = await admin.Http.GetStringAsync("/metrics");
        Assert.Contains("webstudio_queue_depth", text);
        Assert.Contains("webstudio_steps_total", text);
        Assert.Contains("webstudio_job_run_seconds_count", text);
        Assert.Contains("webstudio_job_wait_seconds_count", text);
        Assert.Contains("webstudio_workers", text);
    }

    [Fact]
    public async Task Metrics_bound_apart_are_served_on_their_own_port_only()
    {
        var port = ChildProcess.FreePort();
        await using var node = await StudioHost.StartAsync(new StudioHostOptions
        {
            Settings = new Dictionary<string, string?> { ["Metrics:Url"] = $"http://127.0.0.1:{port}" },
        });
        using var anonymous = node.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode); // started

        using var monitoring = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var apart = await monitoring.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, apart.StatusCode);
        Assert.Contains("webstudio_queue_depth", await apart.Content.ReadAsStringAsync());
        Assert.DoesNotContain("webstudio_", await anonymous.GetStringAsync("/metrics")); // the studio's own address serves none
    }

    [Fact]
    public async Task A_worker_serves_its_metrics_on_the_listener_set_apart_the_same_way()
    {
        var port = ChildProcess.FreePort();
        await using var web = await StudioHost.StartAsync(new StudioHostOptions { RunJobs = false });
        // A child process: the worker's host reads Metrics:Url as it is built, from its environment.
        var options = web.Options with { Mode = StudioHostMode.ChildProcess, Settings = new Dictionary<string, string?>(web.Options.Settings) { ["Metrics:Url"] = $"http://127.0.0.1:{port}" } };
        await using var worker = await StudioWorker.StartAsync(options);

        using var monitoring = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var scraped = await monitoring.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("webstudio_workers", await scraped.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }
}
