using System.ClientModel;
using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Testing.TinyModels;
using GeneratedImage = OpenAI.Images.GeneratedImage;

namespace WebStudio.Api.Tests;

/// <summary>An SDXL folder in the studio's models directory (issue 21): the catalogue lists it as SDXL, the OpenAI API
/// and a studio job run on it, and the history keeps it as the image's model.</summary>
[Trait("Capability", "UserModels")]
public sealed class OpenAISdkSdxlTests(StudioHost server) : IClassFixture<StudioHost>
{
    private const string XlModel = "tiny-xl";
    private const string XlRefiner = "tiny-xl-refiner";

    // A tiny SDXL model beside the fixture's tiny one.
    private void WriteXlModel() => ExtraModels.WriteOnce(server, XlModel, TinyModelVariant.SdxlBase);

    [Fact]
    public void The_catalogue_lists_an_SDXL_folder_with_family_SDXL()
    {
        WriteXlModel();
        var models = new ModelCatalog(server.ModelsPath).List();

        Assert.Equal(ModelFamily.StableDiffusionXL, models.Single(m => m.Name == XlModel).Family);
        Assert.Equal(ModelFamily.StableDiffusion, models.Single(m => m.Name == StudioHost.Model).Family);
        Assert.Equal(ModelFamily.StableDiffusionXL, server.Services.GetRequiredService<IGenerationEngine>().Models().Single(m => m.Name == XlModel).Family);
    }

    [Fact]
    public async Task The_SDK_generates_on_the_SDXL_model_and_the_history_names_it()
    {
        WriteXlModel();
        var (userId, key) = await server.CreateUserWithKeyAsync("sdk-sdxl");
        var client = new ImageClient(XlModel, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });

        GeneratedImage generated = await client.GenerateImageAsync("a photo of a cat",
            new ImageGenerationOptions { Size = new GeneratedImageSize(64, 64), ResponseFormat = GeneratedImageFormat.Bytes });

        using var image = Image.Load<Rgb24>(generated.ImageBytes.ToArray());
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Contains("Model: tiny-xl", image.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value, StringComparison.Ordinal);
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        Assert.Equal((JobSource.Api, JobStatus.Succeeded, XlModel), (job.Source, job.Status, job.Model));
    }

    [Fact]
    public async Task A_studio_job_runs_on_the_SDXL_model_with_a_negative_prompt()
    {
        WriteXlModel();
        var user = await StudioLogin.RegisterAsync(server, "job-sdxl");

        using var submitted = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a photo of a (cat:1.2)", negativePrompt = "blurry", model = XlModel, scheduler = "Euler", steps = 3, guidance = 5, seed = 4,
            width = 64, height = 64, batchSize = 1,
        });

        var (id, status) = await FinishAsync(user, submitted);

        Assert.Equal("Succeeded", status);
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.Id == id);
        Assert.Equal(XlModel, job.Model);
        var spec = Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job));
        Assert.Equal(("blurry", 3), (spec.NegativePrompt, spec.Steps));
    }

    [Fact]
    public async Task A_studio_job_and_the_API_finish_on_a_refiner_and_the_png_names_it_as_A1111_does()
    {
        WriteXlModel();
        ExtraModels.WriteOnce(server, XlRefiner, TinyModelVariant.SdxlRefiner);
        var user = await StudioLogin.RegisterAsync(server, "refiner-sdxl");

        using var submitted = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a photo of a cat", model = XlModel, refiner = XlRefiner, refinerSwitchAt = 0.6, scheduler = "Euler", steps = 5, seed = 3, width = 64, height = 64,
        });
        var (id, status) = await FinishAsync(user, submitted);

        Assert.Equal("Succeeded", status);
        var image = (await user.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("images")[0].GetProperty("id").GetGuid();
        using var png = Image.Load<Rgb24>(await user.Http.GetByteArrayAsync($"/api/images/{image}"));
        Assert.Contains("Model: tiny-xl, Refiner: tiny-xl-refiner, Refiner switch at: 0.6",
            png.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value, StringComparison.Ordinal);

        // The refiner drew the last steps: the same job on the base alone gives another picture.
        using var plain = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a photo of a cat", model = XlModel, scheduler = "Euler", steps = 5, seed = 3, width = 64, height = 64,
        });
        var (plainId, _) = await FinishAsync(user, plain);
        var plainImage = (await user.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{plainId}")).GetProperty("images")[0].GetProperty("id").GetGuid();
        using var baseOnly = Image.Load<Rgb24>(await user.Http.GetByteArrayAsync($"/api/images/{plainImage}"));
        Assert.NotEqual(Pixels(baseOnly), Pixels(png));

        // Through the OpenAI API as extension fields.
        var (_, key) = await server.CreateUserWithKeyAsync("refiner-api");
        using var api = server.Client(key);
        using var generated = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "a cat", model = XlModel, size = "64x64", steps = 4, refiner = XlRefiner });
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
    }

    [Theory]
    [InlineData("no-such-model", 0.8, "refiner", "there is no model called 'no-such-model'")]
    [InlineData(StudioHost.Model, 0.8, "refiner", "same family")]
    [InlineData(XlRefiner, 1.5, "refiner_switch_at", "between 0 and 1")]
    public async Task A_refiner_that_cannot_finish_the_run_is_refused_with_the_field_named(string refiner, double switchAt, string field, string message)
    {
        WriteXlModel();
        ExtraModels.WriteOnce(server, XlRefiner, TinyModelVariant.SdxlRefiner);
        var (_, key) = await server.CreateUserWithKeyAsync($"refused-{Guid.NewGuid():N}"[..20]);
        using var api = server.Client(key);

        using var refused = await api.PostAsJsonAsync("/v1/images/generations",
            new { prompt = "a cat", model = XlModel, size = "64x64", refiner, refiner_switch_at = switchAt });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(field, error.GetProperty("param").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static byte[] Pixels(Image<Rgb24> image)
    {
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static async Task<(Guid Id, string? Status)> FinishAsync(StudioLogin user, HttpResponseMessage submitted)
    {
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        string? status;
        do
        {
            await Task.Delay(50);
            status = (await user.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString();
        }
        while (status is "Queued" or "Running" && DateTime.UtcNow < deadline);

        return (id, status);
    }
}
