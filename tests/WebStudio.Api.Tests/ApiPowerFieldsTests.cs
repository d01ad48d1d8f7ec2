using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenAI;
using OpenAI.Images;
using WebStudio.Studio.Jobs;

namespace WebStudio.Api.Tests;

/// <summary>
/// WebStudio's extension fields of the Images API (seed, negative_prompt, steps, guidance_scale, sampler): taken from
/// raw JSON, multipart and the official SDK's extra body fields, refused by name when bad, and the seed used comes
/// back in X-WebStudio-Seed, so that a script can make the same image again.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class ApiPowerFieldsTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task Power_fields_reach_the_job_and_the_same_seed_makes_the_same_image()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-json");
        using var api = server.Client(key);
        var body = new
        {
            prompt = "a red circle", model = StudioHost.Model, size = "64x64", seed = 1234, negative_prompt = "blue",
            steps = 5, guidance_scale = 3.5, sampler = "DDIM",
        };

        var (first, firstSeed) = await GenerateAsync(api, body);
        var (second, secondSeed) = await GenerateAsync(api, body);

        Assert.Equal(("1234", "1234"), (firstSeed, secondSeed));
        Assert.Equal(first, second);
        await using var db = server.OpenDatabase();
        var jobs = await db.Jobs.Where(j => j.OwnerId == userId).ToListAsync();
        Assert.Equal(2, jobs.Count);
        var spec = Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(jobs[0]));
        Assert.Equal((1234L, "blue", 5, 3.5f, "DDIM"), (spec.Seed, spec.NegativePrompt, spec.Steps, spec.Guidance, spec.Scheduler));
    }

    [Fact]
    public async Task Without_a_seed_the_header_names_the_one_picked_and_n_images_count_on_from_it()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-random");
        using var api = server.Client(key);

        var (_, header) = await GenerateAsync(api, new { prompt = "a star", model = StudioHost.Model, size = "64x64", quality = "low", n = 2, seed = -1 });

        await using var db = server.OpenDatabase();
        var images = await db.Images.Where(i => i.OwnerId == userId).OrderBy(i => i.Seed).Select(i => i.Seed).ToListAsync();
        var seed = long.Parse(header!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([seed, seed + 1], images);
    }

    [Fact]
    public async Task A_streamed_answer_names_its_seed_in_a_header_before_the_first_event()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("power-stream");
        using var api = server.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a ring", model = StudioHost.Model, size = "64x64", steps = 4, seed = 99, stream = true, partial_images = 1 }),
        };

        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("99", response.Headers.GetValues("X-WebStudio-Seed").Single());
        Assert.Contains("image_generation.completed", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("seed", "-2", "integer_out_of_range")]
    [InlineData("seed", "9007199254740992", "integer_out_of_range")]
    [InlineData("seed", "\"42\"", "invalid_type")]
    [InlineData("seed", "1.5", "invalid_type")]
    [InlineData("steps", "0", "integer_out_of_range")]
    [InlineData("steps", "151", "integer_out_of_range")]
    [InlineData("guidance_scale", "30.5", "number_out_of_range")]
    [InlineData("guidance_scale", "-1", "number_out_of_range")]
    [InlineData("guidance_scale", "\"high\"", "invalid_type")]
    [InlineData("sampler", "\"Euler b\"", "invalid_value")]
    [InlineData("negative_prompt", "7", "invalid_type")]
    [InlineData("variation_seed", "-2", "integer_out_of_range")]
    [InlineData("variation_strength", "1.5", "number_out_of_range")]
    [InlineData("guidance_rescale", "1.2", "number_out_of_range")]
    [InlineData("guidance_rescale", "-0.1", "number_out_of_range")]
    [InlineData("variation_strength", "\"some\"", "invalid_type")]
    public async Task A_bad_power_field_is_a_400_that_names_it(string field, string json, string code)
    {
        var (_, key) = await server.CreateUserWithKeyAsync($"power-bad-{field}-{Math.Abs(json.GetHashCode())}");
        using var api = server.Client(key);
        using var content = new StringContent($$"""{"prompt":"a ring","model":"{{StudioHost.Model}}","{{field}}":{{json}}}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await api.PostAsync("/v1/images/generations", content);

        var error = await ErrorAsync(response);
        Assert.Equal((field, code), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains(field, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_CFG_rescale_is_stored_with_the_job_and_written_into_its_pictures_parameters()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-rescale");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new
        {
            prompt = "a star", model = StudioHost.Model, size = "64x64", steps = 2, seed = 5, guidance_rescale = 0.7,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        Assert.Equal(0.7f, Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job)).GuidanceRescale);
        var image = await db.Images.SingleAsync(i => i.OwnerId == userId);
        Assert.EndsWith(", CFG Rescale phi: 0.7", WebStudio.Studio.Storage.A1111Parameters.Format(job, image.Seed, 64, 64));
    }

    [Fact]
    public async Task A_varied_generation_keeps_the_seed_for_every_image_and_gives_each_its_own_variation_seed()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-varied");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new
        {
            prompt = "a star", model = StudioHost.Model, size = "64x64", steps = 4, n = 2, seed = 31, variation_seed = 500, variation_strength = 0.3,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("31", "500"), (response.Headers.GetValues("X-WebStudio-Seed").Single(), response.Headers.GetValues("X-WebStudio-Variation-Seed").Single()));
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        var spec = Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job));
        Assert.Equal((31L, 500L, 0.3f, 501L), (spec.Seed, spec.VariationSeed!.Value, spec.VariationStrength, spec.VariationSeedOf(1)!.Value));
        Assert.Equal([31L, 31L], await db.Images.Where(i => i.OwnerId == userId).Select(i => i.Seed).ToListAsync());
    }

    [Fact]
    public async Task A_varied_request_of_two_jobs_picks_one_variation_seed_and_counts_on_from_it()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-varied-many");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new
        {
            prompt = "a star", model = StudioHost.Model, size = "64x64", steps = 2, n = 10, seed = 7, variation_strength = 0.5,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = long.Parse(response.Headers.GetValues("X-WebStudio-Variation-Seed").Single(), System.Globalization.CultureInfo.InvariantCulture);
        await using var db = server.OpenDatabase();
        var specs = (await db.Jobs.Where(j => j.OwnerId == userId).ToListAsync()).Select(j => Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(j))).OrderBy(s => s.VariationSeed).ToList();
        Assert.Equal([(7L, first, 8), (7L, first + 8, 2)], specs.Select(s => (s.Seed, s.VariationSeed!.Value, s.BatchSize)));
    }

    [Fact]
    public async Task A_variation_strength_on_an_edit_is_refused_by_name()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("power-varied-edit");
        using var api = server.Client(key);
        using var form = PowerForm("77", "Euler", prompt: "a blue square");
        form.Add(new StringContent("0.3"), "variation_strength");

        using var response = await api.PostAsync("/v1/images/edits", form);

        var error = await ErrorAsync(response);
        Assert.Equal(("variation_strength", "invalid_value"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_negative_prompt_over_the_limit_is_refused_by_name()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("power-long-negative");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "a ring", negative_prompt = new string('x', 2001) });

        var error = await ErrorAsync(response);
        Assert.Equal(("negative_prompt", "string_above_max_length"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Edits_take_the_power_fields_as_form_fields()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-edit");
        using var api = server.Client(key);
        using var form = PowerForm("77", "Euler", prompt: "a blue square");

        using var response = await api.PostAsync("/v1/images/edits", form);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("77", response.Headers.GetValues("X-WebStudio-Seed").Single());
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        var spec = Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(job));
        Assert.Equal((77L, "red", 4, 5.5f, "Euler"), (spec.Seed, spec.NegativePrompt, spec.Steps, spec.Guidance, spec.Scheduler));
    }

    [Fact]
    public async Task Variations_take_the_power_fields_and_the_same_seed_makes_the_same_variation()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-variation");
        using var api = server.Client(key);

        var (first, firstSeed) = await VariationAsync(api);
        var (second, secondSeed) = await VariationAsync(api);

        Assert.Equal(("88", "88"), (firstSeed, secondSeed));
        Assert.Equal(first, second);
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.FirstAsync(j => j.OwnerId == userId);
        var spec = Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(job));
        Assert.Equal((88L, "red", 4, 5.5f, "DDIM"), (spec.Seed, spec.NegativePrompt, spec.Steps, spec.Guidance, spec.Scheduler));
    }

    [Fact]
    public async Task A_bad_power_field_of_a_variation_is_a_400_that_names_it()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("power-variation-bad");
        using var api = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Infrastructure.TestImages.Bands(64, 64)), "image", "image.png" },
            { new StringContent("Euler b"), "sampler" },
        };

        using var response = await api.PostAsync("/v1/images/variations", form);

        var error = await ErrorAsync(response);
        Assert.Equal(("sampler", "invalid_value"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    /// <summary>An edit's or a variation's form: a 64² upload and every power field (4 steps, CFG 5.5, "red" negative).</summary>
    private static MultipartFormDataContent PowerForm(string seed, string sampler, string? prompt = null)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Infrastructure.TestImages.Bands(64, 64)), "image", "image.png" },
            { new StringContent(StudioHost.Model), "model" },
            { new StringContent(seed), "seed" },
            { new StringContent("4"), "steps" },
            { new StringContent("5.5"), "guidance_scale" },
            { new StringContent(sampler), "sampler" },
            { new StringContent("red"), "negative_prompt" },
        };
        if (prompt is not null)
        {
            form.Add(new StringContent(prompt), "prompt");
        }

        return form;
    }

    private static async Task<(byte[] Png, string? Seed)> VariationAsync(HttpClient api)
    {
        using var form = PowerForm("88", "DDIM");
        using var response = await api.PostAsync("/v1/images/variations", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var b64 = JsonDocument.Parse(text).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!;
        return (Convert.FromBase64String(b64), response.Headers.TryGetValues("X-WebStudio-Seed", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task A_bad_form_field_of_an_edit_is_a_400_that_names_it()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("power-edit-bad");
        using var api = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Infrastructure.TestImages.Bands(64, 64)), "image", "image.png" },
            { new StringContent("a blue square"), "prompt" },
            { new StringContent("lots"), "steps" },
        };

        using var response = await api.PostAsync("/v1/images/edits", form);

        var error = await ErrorAsync(response);
        Assert.Equal(("steps", "invalid_type"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task The_official_SDK_sends_the_power_fields_through_its_protocol_method_and_reads_the_seed_header()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("power-sdk");
        var client = new ImageClient(StudioHost.Model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });

        // The SDK's protocol method: OpenAI's documented way to send body fields its typed options do not have.
        var body = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            prompt = "a green triangle", model = StudioHost.Model, size = "64x64", seed = 4321, steps = 3, sampler = "Euler",
        }));
        ClientResult result = await client.GenerateImagesAsync(body, new RequestOptions());

        var response = result.GetRawResponse();
        Assert.Equal(200, response.Status);
        Assert.True(response.Headers.TryGetValue("X-WebStudio-Seed", out var seed));
        Assert.Equal("4321", seed);
        var image = JsonDocument.Parse(response.Content.ToString()).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString();
        Assert.False(string.IsNullOrEmpty(image));
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        Assert.Equal((4321L, 3, "Euler"), (job.Seed, job.Steps, job.Scheduler));
    }

    private static async Task<(byte[] Png, string? Seed)> GenerateAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("/v1/images/generations", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var b64 = JsonDocument.Parse(text).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!;
        return (Convert.FromBase64String(b64), response.Headers.TryGetValues("X-WebStudio-Seed", out var values) ? values.Single() : null);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }
}
