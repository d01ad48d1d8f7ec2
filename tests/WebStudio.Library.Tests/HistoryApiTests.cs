using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using WebStudio.Data;
using WebStudio.Library.Tests.Infrastructure;
using WebStudio.Web.History;
using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;

namespace WebStudio.Library.Tests;

/// <summary>History over HTTP on the real engine: search, filters, paging, thumbnails, re-run, delete, import.</summary>
public sealed class HistoryApiTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    [Fact]
    public async Task Search_and_filters_find_only_matching_generations_of_the_caller()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var bob = await TestUser.RegisterAsync(_studio, "bob");
        await alice.GenerateAsync("a red cube", seed: 1);
        await alice.GenerateAsync("a blue sphere", seed: 2, negative: "red");
        await bob.GenerateAsync("a red cube too", seed: 3);

        var red = await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?q=RED");
        Assert.Equal(["a blue sphere", "a red cube"], red!.Items.Select(i => i.Prompt));

        var cube = await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?q=cube&model=tiny&scheduler=Euler%20a&status=succeeded");
        var item = Assert.Single(cube!.Items);
        Assert.Equal("a red cube", item.Prompt);
        Assert.Single(item.Images);
        Assert.True(item.TotalMs > 0);

        Assert.Empty((await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?model=other"))!.Items);
        Assert.Empty((await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?status=failed"))!.Items);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        Assert.Equal(2, (await alice.Http.GetFromJsonAsync<HistoryPage>($"/api/history?from={today}&to={today}"))!.Items.Count);
        Assert.Empty((await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?to=2020-01-01"))!.Items);

        // A LIKE wildcard in the search is taken literally.
        Assert.Empty((await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?q=%25"))!.Items);

        var bad = await alice.Http.GetAsync("/api/history?status=exploded");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status must be one of", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.Http.GetAsync("/api/history?cursor=../../x")).StatusCode);
    }

    [Fact]
    public async Task Keyset_paging_walks_ten_thousand_generations_without_gaps_and_stays_fast()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        await SeedJobsAsync(alice.Id, 10_000);
        var history = _studio.Get<HistoryService>();

        // Warm up the connection pool and the query cache.
        await history.QueryAsync(alice.Id, new HistoryFilter(), null);

        var seen = new HashSet<Guid>();
        string? cursor = null;
        var times = new List<TimeSpan>();
        var pages = 0;
        do
        {
            var watch = Stopwatch.StartNew();
            HistoryCursor.TryParse(cursor, out var after);
            var page = await history.QueryAsync(alice.Id, new HistoryFilter(), cursor is null ? null : after, pageSize: 200);
            times.Add(watch.Elapsed);
            Assert.All(page.Items, i => Assert.True(seen.Add(i.JobId), "an item came twice"));
            Assert.Equal(page.Items.OrderByDescending(i => i.CreatedAt).Select(i => i.JobId), page.Items.Select(i => i.JobId));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(10_000, seen.Count);
        Assert.Equal(50, pages);

        // Deep pages cost what the first ones do: keyset, not OFFSET. Generous bounds for a loaded 2-core machine.
        var median = times.Order().ElementAt(times.Count / 2);
        var lastTen = times.TakeLast(10).Order().ElementAt(5);
        Assert.True(median < TimeSpan.FromMilliseconds(150), $"median page of 200 took {median.TotalMilliseconds:0} ms");
        Assert.True(lastTen < TimeSpan.FromMilliseconds(150), $"median of the last ten pages took {lastTen.TotalMilliseconds:0} ms");

        // A filtered query: the first run compiles it (as on any server), the median of the next five is timed.
        var filter = new HistoryFilter { Model = "model-3", Scheduler = "DDIM" };
        var filtered = await history.QueryAsync(alice.Id, filter, null);
        var filteredTimes = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var watchFiltered = Stopwatch.StartNew();
            await history.QueryAsync(alice.Id, filter, null);
            filteredTimes.Add(watchFiltered.Elapsed);
        }

        var filteredMedian = filteredTimes.Order().ElementAt(2);
        Assert.True(filteredMedian < TimeSpan.FromMilliseconds(400), $"a filtered page took {filteredMedian.TotalMilliseconds:0} ms (median of 5)");
        Assert.All(filtered.Items, i => Assert.Equal(("model-3", "DDIM"), (i.Model, i.Scheduler)));
        Assert.NotEmpty(filtered.Items);

        await using var db = _studio.OpenDatabase();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM GenerationJobs WHERE OwnerId = 'x' ORDER BY CreatedAt DESC, Id DESC LIMIT 49";
        var plan = "";
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan += reader.GetString(3) + "\n";
            }
        }

        Assert.Contains("IX_GenerationJobs_History", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    private async Task SeedJobsAsync(string ownerId, int count)
    {
        await using var db = _studio.OpenDatabase();
        var start = DateTime.UtcNow.AddDays(-30);
        var jobs = Enumerable.Range(0, count).Select(i => new GenerationJob
        {
            OwnerId = ownerId,
            Prompt = $"prompt {i}",
            Model = $"model-{i % 5}",
            Scheduler = i % 2 == 0 ? "Euler a" : "DDIM",
            Status = JobStatus.Succeeded,
            Width = 64,
            Height = 64,
            Seed = i,

            // Every tenth pair shares a timestamp, so the id tie-break of the cursor is exercised.
            CreatedAt = start.AddSeconds(i - (i % 10 == 1 ? 1 : 0)),
        });
        db.Jobs.AddRange(jobs);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Thumbnails_are_webp_cached_on_disk_and_served_privately()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var imageId = TestUser.FirstImageId(await alice.GenerateAsync("thumb me"));

        var response = await alice.Http.GetAsync($"/api/images/{imageId}/thumb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("private", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var thumb = Image.Load(bytes))
        {
            Assert.Equal(64, thumb.Width); // never enlarged past the original
        }

        var cached = Path.Combine(_studio.ThumbsPath(), $"{imageId:N}_256.webp");
        Assert.True(File.Exists(cached));
        var written = File.GetLastWriteTimeUtc(cached);

        var again = await alice.Http.GetAsync($"/api/images/{imageId}/thumb");
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(written, File.GetLastWriteTimeUtc(cached));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/images/{imageId}/thumb");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await alice.Http.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Delete_hides_at_once_the_sweep_removes_rows_and_files_and_a_second_delete_is_a_plain_404()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync("short lived", batch: 2);
        var jobId = job.GetProperty("id").GetGuid();
        var imageIds = job.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        foreach (var id in imageIds)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/api/images/{id}/thumb")).StatusCode);
        }

        var gallery = await CreateGalleryAsync(alice, "keeps going");
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{imageIds[0]}", null)).StatusCode);
        var files = Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories);
        Assert.Equal(2, files.Length);

        var first = await alice.Http.DeleteAsync($"/api/history/{jobId}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // Deletes are soft (Undo): the files go when the sweep finds the undo window passed.
        Assert.Equal(2, Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories).Length);
        await _studio.Get<HistoryService>().PurgeDeletedAsync(DateTime.UtcNow.AddSeconds(1));
        Assert.Empty(Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_studio.ThumbsPath()));
        var gone = await alice.Http.GetAsync($"/api/images/{imageIds[0]}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        // A browser that opens the dead link reads the status in words, not an empty error.
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Not Found", await gone.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/api/history/{jobId}")).StatusCode);
        var left = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{gallery}");
        Assert.Equal(0, left.GetProperty("images").GetArrayLength());

        var second = await alice.Http.DeleteAsync($"/api/history/{jobId}");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Rerun_queues_the_same_parameters_with_the_same_or_a_new_seed()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var original = await alice.GenerateAsync("again please", seed: 77, negative: "noise");
        var jobId = original.GetProperty("id").GetGuid();

        var same = await alice.Http.PostAsync($"/api/history/{jobId}/rerun", null);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        // Answered like any submission: the queued job itself, at its own address.
        var queued = await same.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/jobs/{queued.GetProperty("id").GetGuid()}", same.Headers.Location?.OriginalString);
        Assert.Equal("again please", queued.GetProperty("prompt").GetString());
        var sameJob = await alice.WaitForEndAsync(queued.GetProperty("id").GetGuid());
        Assert.Equal(77, sameJob.GetProperty("seed").GetInt64());
        Assert.Equal("noise", sameJob.GetProperty("negativePrompt").GetString());

        // Same seed, same model: the same pixels.
        var a = await alice.Http.GetByteArrayAsync($"/api/images/{TestUser.FirstImageId(original)}");
        var b = await alice.Http.GetByteArrayAsync($"/api/images/{TestUser.FirstImageId(sameJob)}");
        using (var ia = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(a))
        using (var ib = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(b))
        {
            Assert.Equal(ia[10, 10], ib[10, 10]);
            Assert.Equal(ia[40, 50], ib[40, 50]);
        }

        var fresh = await alice.Http.PostAsync($"/api/history/{jobId}/rerun?newSeed=true", null);
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        var freshJob = await alice.WaitForEndAsync((await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal("again please", freshJob.GetProperty("prompt").GetString());
        Assert.NotEqual(77, freshJob.GetProperty("seed").GetInt64());
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task Rerun_of_varied_images_keeps_their_variation_seeds_or_draws_new_ones_with_a_new_seed()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var jobId = (await alice.GenerateAsync(TestUser.Parameters("again please", seed: 5, batch: 2) with { VariationSeed = 40, VariationStrength = 0.2f }))
            .GetProperty("id").GetGuid();

        async Task<JobSpec.Txt2Img> RerunAsync(string query)
        {
            var response = await alice.Http.PostAsync($"/api/history/{jobId}/rerun{query}", null);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await using var db = _studio.OpenDatabase();
            return Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id)));
        }

        var same = await RerunAsync("");
        var fresh = await RerunAsync("?newSeed=true");

        Assert.Equal((5L, 40L, 0.2f), (same.Seed, same.VariationSeed!.Value, same.VariationStrength));
        Assert.NotEqual(5L, fresh.Seed);
        Assert.NotEqual(40L, fresh.VariationSeed!.Value);
        Assert.True(fresh.VariationSeed >= 0 && fresh.VariationStrength == 0.2f, $"variation seed {fresh.VariationSeed} at {fresh.VariationStrength}");
    }

    [Fact]
    public async Task Reading_parameters_of_a_downloaded_image_gives_back_its_settings()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync("round trip", seed: 123, negative: "dull");
        var png = await alice.Http.GetByteArrayAsync($"/api/images/{TestUser.FirstImageId(job)}?download=true");

        using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "mine.png" } };
        var response = await alice.Http.PostAsync("/api/parameters/read", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = (await response.Content.ReadFromJsonAsync<ParametersReadResult>())!.Parameters;
        Assert.Equal(("round trip", "dull", 2, "Euler a", 7f, 123L, 64, 64, "tiny"),
            (read.Prompt, read.NegativePrompt, read.Steps!.Value, read.Sampler, read.CfgScale!.Value, read.Seed!.Value, read.Width!.Value, read.Height!.Value, read.Model));

        using var plain = new MultipartFormDataContent { { new ByteArrayContent(PngParametersReaderTests.Png(null)), "file", "plain.png" } };
        var refused = await alice.Http.PostAsync("/api/parameters/read", plain);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("plain.png: the PNG has no", await refused.Content.ReadAsStringAsync());

        using var none = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var missing = await alice.Http.PostAsync("/api/parameters/read", none);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("file:", await missing.Content.ReadAsStringAsync());
    }

    public static async Task<Guid> CreateGalleryAsync(TestUser user, string name, string description = "")
    {
        var response = await user.Http.PostAsJsonAsync("/api/galleries", new { name, description });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
