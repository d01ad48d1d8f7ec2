using System.Net;
using System.Net.Http.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using WebStudio.Studio.Queue;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

public sealed class JobApiTests
{
    [Fact]
    public async Task A_job_runs_and_its_images_are_served_to_the_owner_with_cache_headers_and_parameters()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var queued = await alice.SubmitAsync("a green triangle", steps: 5, batch: 2, seed: 40);
        var done = await alice.WaitForEndAsync(queued.Id);

        Assert.Equal("Succeeded", done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.NotNull(done.AverageStepMs);
        Assert.Equal([40L, 41L], done.Images.Select(i => i.Seed));
        var response = await alice.Http.GetAsync(done.Images[1].Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
        using var image = Image.Load(await response.Content.ReadAsByteArrayAsync());
        var text = image.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value;
        Assert.Equal("a green triangle\nSteps: 5, Sampler: Euler a, CFG scale: 7, Seed: 41, Size: 64x64, Model: tiny", text);

        var download = await alice.Http.GetAsync(done.Images[0].Url + "?download=true");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task Another_user_gets_404_for_the_job_its_image_preview_and_cancel_and_the_anonymous_get_401()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var done = await alice.WaitForEndAsync((await alice.SubmitAsync("private prompt")).Id);
        var imageUrl = done.Images[0].Url;

        foreach (var url in new[] { $"/api/jobs/{done.Id}", imageUrl, $"/api/jobs/{done.Id}/preview", $"/api/images/{Guid.NewGuid()}", "/api/images/not-a-guid" })
        {
            var response = await bob.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} gave {(int)response.StatusCode} to another user");
            Assert.DoesNotContain("private prompt", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.PostAsync($"/api/jobs/{done.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Http.PostAsync($"/api/jobs/{done.Id}/front", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await StudioUserClient.Anonymous(factory).Http.GetAsync(imageUrl)).StatusCode);

        // The administrator sees everything.
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(imageUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync($"/api/jobs/{done.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_failing_run_is_stored_with_its_reason_and_the_queue_goes_on()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var broken = await alice.SubmitAsync(ScriptedEngine.FailingPrompt);
        var next = await alice.SubmitAsync("after the failure");

        var failed = await alice.WaitForEndAsync(broken.Id);
        Assert.Equal("Failed", failed.Status);
        // Plain words quoting the job as the log's reference, never the exception's own text (issue 16).
        Assert.Equal($"the job failed on the server; the administrator can find the details in the log (ref {broken.Id})", failed.FailureReason);
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(next.Id)).Status);
    }

    [Fact]
    public async Task Bad_parameters_are_refused_in_plain_words()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var response = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("x", steps: 0) with { Model = "nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("steps must be between 1 and 150", body);
        Assert.Contains("there is no model called 'nope'", body);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_job_without_a_model_runs_on_the_studios_default_model()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Generation:DefaultModel"] = "tiny" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var response = await alice.Http.PostAsJsonAsync("/api/jobs", new { prompt = "a red circle", steps = 4 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = await alice.WaitForEndAsync((await response.Content.ReadFromJsonAsync<JobView>())!.Id);
        Assert.Equal(("tiny", "Succeeded"), (job.Model, job.Status));
    }

    /// <summary>SQLite keeps times without a kind: read back, a job's times went out without their "Z", so that a client
    /// took them for its own local time.</summary>
    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_jobs_times_read_back_from_the_database_are_sent_as_utc()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var job = await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle")).Id);

        using var polled = System.Text.Json.JsonDocument.Parse(await alice.Http.GetStringAsync($"/api/jobs/{job.Id}"));
        foreach (var name in new[] { "createdAt", "startedAt", "finishedAt" })
        {
            var time = polled.RootElement.GetProperty(name).GetString()!;
            Assert.True(time.EndsWith('Z'), $"{name} is {time}, without its UTC mark");
        }

        Assert.Equal(DateTimeKind.Utc, job.CreatedAt.Kind);
        Assert.InRange(DateTime.UtcNow - job.CreatedAt, TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }

    /// <summary>A seed is -1 (random) or 0 to 2^53 − 1 for every image of the batch: -7 was taken as random, and a seed
    /// near 2^63 overflowed to a negative one for the batch's later images.</summary>
    [Theory]
    [Trait("Capability", "Hardening")]
    [InlineData(-7L, 1, "from 0 to 9007199254740991; -7 was given")]
    [InlineData(SeedSource.MaxSeed, 2, "from 0 to 9007199254740990; 9007199254740991 was given")]
    [InlineData(long.MaxValue, 1, "from 0 to 9007199254740991; 9223372036854775807 was given")]
    public async Task A_seed_outside_minus_one_and_0_to_2_to_the_53_is_refused_in_plain_words(long seed, int batch, string said)
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var refused = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("x", batch: batch, seed: seed));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"the seed must be -1 for a random one, or a whole number {said}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var highest = await alice.SubmitAsync("x", batch: batch, seed: SeedSource.MaxSeed - (batch - 1));
        var ran = await alice.WaitForEndAsync(highest.Id);
        Assert.Equal(SeedSource.MaxSeed - (batch - 1), ran.Seed);
        Assert.Equal(SeedSource.MaxSeed, ran.Images[^1].Seed);
    }

    [Fact]
    public async Task The_queue_refuses_the_eleventh_waiting_job_of_a_user_but_not_another_users_first()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "3" });
        factory.Scripted.Hold();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");

        var running = await alice.SubmitAsync("runs");
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");
        for (var i = 0; i < 3; i++)
        {
            await alice.SubmitAsync($"waits {i}");
        }

        var refused = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("one too many"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("the queue is full (3 jobs per user)", await refused.Content.ReadAsStringAsync());
        await bob.SubmitAsync("bob is not blocked");
        factory.Scripted.Open();
    }

    [Fact]
    public async Task Concurrent_submissions_never_exceed_the_per_user_limit()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?>
        {
            ["Queue:MaxQueuedPerUser"] = "5",
            ["Queue:SubmissionsPerMinute"] = "1000",
        });
        factory.Scripted.Hold();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var running = await alice.SubmitAsync("runs");
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters($"burst {i}"))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        factory.Scripted.Open();
    }

    [Fact]
    public async Task Submissions_beyond_the_rate_limit_get_429_with_retry_after()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:SubmissionsPerMinute"] = "2" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        await alice.SubmitAsync("one");
        await alice.SubmitAsync("two");
        var third = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("three"));

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter is not null, "Retry-After header missing");
        Assert.Contains("too many submissions", await third.Content.ReadAsStringAsync());
    }
}
