using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
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
    private const string Model = "webstudio-shapes";

    /// <summary>Pinned at aff3b71, before the move, on this repository's CPU test machine.</summary>
    private static readonly Dictionary<string, string> Pinned = new()
    {
        ["txt2img"] = "F01654B147BBA3281B2C3A5E7FB8397788C3542F74A2E79D25DB616F1AFCAA89",
        ["img2img"] = "8BE9ED6874D6DF2FC4DBA9E1F9280E264DBD6B53793058DDE55B299BAA5976C5",
        ["inpaint"] = "5DB5566A312C5AD73B4A236BA9903D24551DE6C24AE490A9C96AD7F1B146801A",
        ["outpaint"] = "8E25C26B2BDF4A6902000B6254D22D7BD041964AE583D83DF738C999B678CC70",
        ["hires fix"] = "FDEDE5359B3B872105D3C7A84F6955061E657DE86F5FCC71607B88BE84A3D1E7",
        ["upscale"] = "9232254FD8449D7655032609CAA08B2434E6B7ABAD994008CE68D501CCC50705",
        ["api generation"] = "887B6FE1D4C81E3A673CD5EF1A530481E6B1EBEADF93AD98424ED649CF4BFB05",
        ["api edit"] = "A486505BA03BD160876D928500CD02962CB45D64D6EFAE85DA2DC9876947C45A",
        ["api variation"] = "5018CDEE58710D8ED89C4A8C19E4A6FFBB5ACAE6F4F040438F7CF35BE2A85FB3",
    };

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
            { new ByteArrayContent(TransparentLeftHalf(128, 128)), "mask", "mask.png" },
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

        Assert.Equal(Pinned, actual);
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
        using var mask = new Image<L8>(128, 128);
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 40; y < 96; y++)
            {
                rows.GetRowSpan(y)[24..88].Fill(new L8(255));
            }
        });
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Png(mask)), "file", "mask.png" } };
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

        return PixelHash(images);
    }

    private static string HashB64(JsonElement response) =>
        PixelHash(response.GetProperty("data").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)));

    /// <summary>The pixels, not the file: a PNG's text chunks and compression may change without the image changing.</summary>
    private static string PixelHash(IEnumerable<byte[]> pngs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var png in pngs)
        {
            using var image = Image.Load<Rgba32>(png);
            var pixels = new byte[image.Width * image.Height * 4];
            image.CopyPixelDataTo(pixels);
            sha.AppendData(BitConverter.GetBytes(image.Width));
            sha.AppendData(BitConverter.GetBytes(image.Height));
            sha.AppendData(pixels);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>An OpenAI edit mask: the transparent pixels (here the left half) are repainted.</summary>
    private static byte[] TransparentLeftHalf(int width, int height)
    {
        using var mask = new Image<Rgba32>(width, height, new Rgba32(255, 255, 255, 255));
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                rows.GetRowSpan(y)[..(width / 2)].Fill(new Rgba32(0, 0, 0, 0));
            }
        });
        return Png(mask);
    }

    private static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

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
