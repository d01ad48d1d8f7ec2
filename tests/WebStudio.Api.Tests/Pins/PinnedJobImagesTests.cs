using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Tests.Shared;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;

namespace WebStudio.Api.Tests.Pins;

/// <summary>
/// The SHA-256 of the pixels that a job of every kind makes from fixed seeds on the built-in model, pinned before
/// the studio core was reshaped (issue 17), so that a refactor which changes any image fails here. Jobs are sent
/// through the public HTTP entry points only (Generate's /api/jobs, Edit's /api/edits, the OpenAI /v1 routes), so
/// the test survives any change of the types behind them.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class PinnedJobImagesTests(PinnedJobImagesTests.Server server, ITestOutputHelper output) : IClassFixture<PinnedJobImagesTests.Server>
{
    private const string Model = PinnedImages.Model;

    [Fact]
    public async Task Every_job_kind_makes_the_pinned_images()
    {
        var user = await StudioLogin.RegisterAsync(server, "pins");
        var (_, key) = await server.CreateUserWithKeyAsync("pins-api");
        using var api = server.Client(key);
        var actual = new Dictionary<string, string>();

        var txt = await RunAsync(user.Http, "/api/jobs", new
        {
            prompt = "a red circle above a blue square", negativePrompt = "green", model = Model, scheduler = "Euler a",
            steps = 6, guidance = 7, seed = 11, width = 128, height = 128, batchSize = 2,
        });
        actual["txt2img"] = await HashAsync(user.Http, txt);
        var sourceId = txt.GetProperty("images")[0].GetProperty("id").GetGuid();
        var source = $"image:{sourceId}";
        var sourcePng = await user.Http.GetByteArrayAsync($"/api/images/{sourceId}");

        actual["img2img"] = await HashAsync(user.Http, await RunAsync(user.Http, "/api/edits", Edit("Restyle", source, 12) with { strength = 0.6f }));
        var maskId = await UploadMaskAsync(user.Http, source);
        actual["inpaint"] = await HashAsync(user.Http, await RunAsync(user.Http, "/api/edits", Edit("Inpaint", source, 13) with { maskId = (Guid?)maskId, strength = 0.8f }));
        actual["outpaint"] = await HashAsync(user.Http, await RunAsync(user.Http, "/api/edits", Edit("Outpaint", source, 14) with { outpaintRight = 32, outpaintTop = 32 }));
        actual["hires fix"] = await HashAsync(user.Http, await RunAsync(user.Http, "/api/edits", Edit("HiresFix", source, 15) with { strength = 0.35f, upscaleFactor = 2 }));
        actual["upscale"] = await HashAsync(user.Http, await RunAsync(user.Http, "/api/edits", Edit("Upscale", source, 16) with { upscaleFactor = 2 }));

        // The OpenAI routes pick their own seeds: the server's seed source is fixed below, and these run in order.
        actual["api generation"] = HashB64(await PostApiAsync(api, "/v1/images/generations", JsonContent.Create(new
        {
            prompt = "two green triangles", model = Model, size = "128x128", quality = "low", n = 2, response_format = "b64_json",
        })));
        actual["api edit"] = HashB64(await PostApiAsync(api, "/v1/images/edits", new MultipartFormDataContent
        {
            { new ByteArrayContent(sourcePng), "image", "image.png" },
            { new ByteArrayContent(PinnedImages.TransparentLeftHalf(128, 128)), "mask", "mask.png" },
            { new StringContent("a yellow star"), "prompt" },
            { new StringContent(Model), "model" },
            { new StringContent("128x128"), "size" },
            { new StringContent("low"), "quality" },
        }));
        actual["api variation"] = HashB64(await PostApiAsync(api, "/v1/images/variations", new MultipartFormDataContent
        {
            { new ByteArrayContent(sourcePng), "image", "image.png" },
            { new StringContent(Model), "model" },
            { new StringContent("128x128"), "size" },
            { new StringContent("b64_json"), "response_format" },
        }));

        foreach (var (kind, hash) in actual)
        {
            output.WriteLine($"[\"{kind}\"] = \"{hash}\",");
        }

        Assert.Equal(PinnedImages.PinsFor(actual), actual);
    }

    private sealed record EditBody(string operation, string source, string prompt, string negativePrompt, string model, string scheduler, int steps, float guidance, long seed)
    {
        public float strength { get; init; } = 0.6f;
        public Guid? maskId { get; init; }
        public int outpaintRight { get; init; }
        public int outpaintTop { get; init; }
        public int upscaleFactor { get; init; } = 2;
    }

    private static EditBody Edit(string operation, string source, long seed) =>
        new(operation, source, "a blue circle on a yellow ground", "", Model, "Euler a", 6, 7f, seed);

    /// <summary>Submits a job and waits for it to succeed; returns the finished job's view.</summary>
    private static async Task<JsonElement> RunAsync(HttpClient http, string url, object body)
    {
        using var submitted = await http.PostAsJsonAsync(url, body);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"{url} gave {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}");
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            var status = job.GetProperty("status").GetString();
            if (status is not ("Queued" or "Running") || DateTime.UtcNow > deadline)
            {
                Assert.True(status == "Succeeded", $"job {id} ended {status}: {job}");
                return job;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<Guid> UploadMaskAsync(HttpClient http, string source)
    {
        using var mask = PinnedImages.InpaintMask();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(PinnedImages.Png(mask)), "file", "mask.png" } };
        form.First().Headers.ContentType = new("image/png");
        using var response = await http.PostAsync($"/api/masks?source={Uri.EscapeDataString(source)}", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"mask gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> PostApiAsync(HttpClient api, string url, HttpContent content)
    {
        using (content)
        {
            using var response = await api.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} gave {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task<string> HashAsync(HttpClient http, JsonElement job)
    {
        var images = new List<byte[]>();
        foreach (var image in job.GetProperty("images").EnumerateArray())
        {
            images.Add(await http.GetByteArrayAsync(image.GetProperty("url").GetString()));
        }

        return PinnedImages.PixelHash(images);
    }

    private static string HashB64(JsonElement response) =>
        PinnedImages.PixelHash(response.GetProperty("data").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)));

    /// <summary>The studio on the built-in model (its weights are files in the repository), with seeds 4242, 4243…</summary>
    public sealed class Server() : StudioHost(new StudioHostOptions
    {
        ModelsFolder = RepositoryFolders.Models,
        TinyModel = null,
        Settings = new Dictionary<string, string?> { ["Generation:DefaultModel"] = Model },
        Services = services => services.AddSingleton<SeedSource, CountingSeeds>(),
    });

    private sealed class CountingSeeds : SeedSource
    {
        private long _next = 4242;

        public override long Next() => Interlocked.Increment(ref _next) - 1;
    }
}
