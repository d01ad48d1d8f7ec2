using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Tests.Shared;
using Xunit.Abstractions;

namespace WebStudio.Hardening.Tests.Admission;

/// <summary>
/// Issue 16, finding 4: POST /api/jobs with 2048×2048, batch 8 and 150 steps was accepted, and the worker then tried
/// to allocate about 64 GiB. Every way in (/api/jobs, the Edit page's /api/edits, /v1 generations, edits and
/// variations) now refuses such a job at submission, naming the limit and what would fit, and queues nothing.
/// </summary>
[Trait("Capability", "Hardening")]
public class AdmissionTests(AdmissionServer server, ITestOutputHelper output) : IClassFixture<AdmissionServer>
{
    private const string Limit = "the limit on this server is 8 GiB";

    [Fact]
    public async Task The_issues_request_is_refused_on_api_jobs_naming_the_limit_and_the_largest_size_that_fits()
    {
        var user = await StudioLogin.RegisterAsync(server, "issue-request");

        using var response = await user.Http.PostAsJsonAsync("/api/jobs", Job(2048, 2048, batch: 8, steps: 150));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("size").EnumerateArray()).GetString()!;
        output.WriteLine(message);
        Assert.Matches(@"^this job needs about \d+(\.\d)? GiB of memory", message);
        Assert.Contains(Limit, message);
        Assert.Contains("at 2048×2048 not even one image fits", message);

        // The size it offers is accepted with the same batch and steps.
        var (width, height) = Size(message, @"with batch 8 the largest size is (\d+)×(\d+)");
        Assert.True(width is >= 64 and < 2048 && width == height, message);
        using var offered = await user.Http.PostAsJsonAsync("/api/jobs", Job(width, height, batch: 8, steps: 150));
        Assert.Equal(HttpStatusCode.Created, offered.StatusCode);
        Assert.Equal(1, await QueuedJobsAsync(user.UserId));
    }

    [Fact]
    public async Task A_batch_too_big_for_its_size_names_the_largest_batch_and_that_batch_is_accepted()
    {
        var user = await StudioLogin.RegisterAsync(server, "big-batch");

        using var response = await user.Http.PostAsJsonAsync("/api/jobs", Job(1024, 1024, batch: 8));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("batchSize").EnumerateArray()).GetString()!;
        output.WriteLine(message);
        Assert.Contains(Limit, message);
        var batch = int.Parse(Regex.Match(message, @"at 1024×1024 the largest batch that fits is (\d)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(batch, 1, 7);

        using var fits = await user.Http.PostAsJsonAsync("/api/jobs", Job(1024, 1024, batch));
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        using var oneMore = await user.Http.PostAsJsonAsync("/api/jobs", Job(1024, 1024, batch + 1));
        Assert.Equal(HttpStatusCode.BadRequest, oneMore.StatusCode);
        Assert.Equal(1, await QueuedJobsAsync(user.UserId));
    }

    [Fact]
    public async Task A_request_that_fits_is_accepted()
    {
        var user = await StudioLogin.RegisterAsync(server, "fits");

        using var native = await user.Http.PostAsJsonAsync("/api/jobs", Job(128, 128, batch: 8, steps: 150));
        using var large = await user.Http.PostAsJsonAsync("/api/jobs", Job(1024, 1024, batch: 1));

        Assert.Equal(HttpStatusCode.Created, native.StatusCode);
        Assert.Equal(HttpStatusCode.Created, large.StatusCode);
        Assert.Equal(2, await QueuedJobsAsync(user.UserId));
    }

    [Fact]
    public async Task The_issues_request_is_refused_on_v1_generations_in_OpenAIs_error_shape_naming_size()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("v1-generations");
        using var client = server.Client(key);

        using var response = await client.PostAsJsonAsync("/v1/images/generations",
            new { prompt = "a red circle", model = AdmissionServer.BuiltInModel, n = 8, size = "2048x2048", quality = "high" });

        var message = await OpenAIRefusalAsync(response);
        Assert.Contains("at 2048×2048 not even one image fits", message);
        Assert.Equal(0, await QueuedJobsAsync(userId));

        // A size that fits: the stream opens once its job is queued (this server queues only, so it is left open).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a red circle", model = AdmissionServer.BuiltInModel, n = 1, size = "128x128", stream = true }),
        };
        using var fits = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(1, await QueuedJobsAsync(userId));
    }

    [Fact]
    public async Task An_edit_of_a_2048_image_is_refused_on_v1_edits_and_variations()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("v1-edits");
        using var client = server.Client(key);
        var png = Png(2048, 2048);

        foreach (var (path, prompt) in new[] { ("/v1/images/edits", "a blue sky"), ("/v1/images/variations", null) })
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(png), "image", "big.png" },
                { new StringContent(AdmissionServer.BuiltInModel), "model" },
                { new StringContent("8"), "n" },
            };
            if (prompt is not null)
            {
                form.Add(new StringContent(prompt), "prompt");
            }

            using var response = await client.PostAsync(path, form);

            Assert.Contains("at 2048×2048 not even one image fits", await OpenAIRefusalAsync(response));
        }

        Assert.Equal(0, await QueuedJobsAsync(userId));
    }

    [Fact]
    public async Task An_edit_of_a_2048_image_is_refused_on_the_edit_pages_endpoint_naming_the_size_that_fits()
    {
        var user = await StudioLogin.RegisterAsync(server, "edit-page");
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(Png(2048, 2048)), "file", "big.png" } };
        using var uploaded = await user.Http.PostAsync("/api/uploads", upload);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var source = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString();

        using var response = await user.Http.PostAsJsonAsync("/api/edits",
            new { operation = "Restyle", source, prompt = "a red circle", model = AdmissionServer.BuiltInModel, steps = 20, strength = 0.6 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("size").EnumerateArray()).GetString()!;
        Assert.Contains(Limit, message);
        Assert.Matches(@"the largest size that fits is \d+×\d+", message);
        Assert.Equal(0, await QueuedJobsAsync(user.UserId));
    }

    private static object Job(int width, int height, int batch, int steps = 20) => new
    {
        prompt = "a red circle",
        model = AdmissionServer.BuiltInModel,
        scheduler = "Euler a",
        steps,
        guidance = 7,
        seed = 1,
        width,
        height,
        batchSize = batch,
    };

    private static (int Width, int Height) Size(string message, string pattern)
    {
        var match = Regex.Match(message, pattern);
        Assert.True(match.Success, message);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The message of a 400 in OpenAI's error shape whose param is "size" and which names the limit.</summary>
    private static async Task<string> OpenAIRefusalAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("size", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(Limit, message);
        return message;
    }

    private async Task<int> QueuedJobsAsync(string userId)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        return await db.Jobs.CountAsync(j => j.OwnerId == userId);
    }

    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(40, 90, 200));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
