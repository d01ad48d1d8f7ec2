using System.ClientModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Testing.TinyModels;
using GeneratedImage = OpenAI.Images.GeneratedImage;

namespace WebStudio.Api.Tests;

/// <summary>The official OpenAI .NET SDK against an instruction model (issue 22): an edit's prompt is the
/// instruction, the mask optional; a generation on it is a 400 that names a model that fits.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class OpenAISdkInstructEditTests(StudioHost server) : IClassFixture<StudioHost>
{
    private const string EditModel = "tiny-edit";

    private async Task<(string UserId, ImageClient Client)> ClientAsync(string user)
    {
        WriteEditModel();
        var (userId, key) = await server.CreateUserWithKeyAsync(user);
        return (userId, new ImageClient(EditModel, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") }));
    }

    // A tiny InstructPix2Pix model beside the fixture's tiny one.
    private void WriteEditModel() => ExtraModels.WriteOnce(server, EditModel, TinyModelVariant.InstructEdit);

    [Fact]
    public async Task The_SDK_edits_by_instruction_without_a_mask()
    {
        var (userId, client) = await ClientAsync("sdk-instruct");
        var source = TestImages.Bands();

        GeneratedImage edited = await client.GenerateImageEditAsync(new MemoryStream(source), "source.png", "make the band blue",
            new ImageEditOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        using var result = Image.Load<Rgb24>(edited.ImageBytes.ToArray());
        Assert.Equal((64, 64), (result.Width, result.Height));
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        Assert.Equal((JobSource.Api, JobKind.InstructEdit, JobStatus.Succeeded, EditModel), (job.Source, job.Kind, job.Status, job.Model));
        var spec = Assert.IsType<JobSpec.InstructEdit>(JobSpecJson.Read(job));
        Assert.Equal(("make the band blue", 1.5f), (spec.Prompt, spec.ImageGuidance));
    }

    [Fact]
    public async Task An_edit_takes_both_guidance_scales_and_the_automatic_mask_as_form_fields()
    {
        WriteEditModel();
        var (_, key) = await server.CreateUserWithKeyAsync("form-instruct");
        using var api = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Bands()), "image", "source.png" },
            { new StringContent("make the band blue"), "prompt" },
            { new StringContent(EditModel), "model" },
            { new StringContent("4"), "steps" },
            { new StringContent("6.5"), "guidance_scale" },
            { new StringContent("1.25"), "image_guidance_scale" },
            { new StringContent("0.4"), "auto_mask" },
        };

        using var response = await api.PostAsync("/v1/images/edits", form);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await using var db = server.OpenDatabase();
        var job = await db.Jobs.SingleAsync(j => j.Prompt == "make the band blue" && j.Steps == 4);
        var spec = Assert.IsType<JobSpec.InstructEdit>(JobSpecJson.Read(job));
        Assert.Equal((6.5f, 1.25f, (float?)0.4f), (spec.Guidance, spec.ImageGuidance, spec.AutoMask));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    public async Task An_automatic_mask_outside_0_to_1_is_a_400_that_names_it(string value)
    {
        WriteEditModel();
        var (_, key) = await server.CreateUserWithKeyAsync($"form-auto-mask-{value}");
        using var api = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Bands()), "image", "source.png" },
            { new StringContent("make the band blue"), "prompt" },
            { new StringContent(EditModel), "model" },
            { new StringContent(value), "auto_mask" },
        };

        using var response = await api.PostAsync("/v1/images/edits", form);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"param\":\"auto_mask\"", body);
        Assert.Contains("from 0 (off) up to 1", body);
    }

    [Fact]
    public async Task A_generation_on_an_instruction_model_is_a_400_naming_a_text_to_image_model()
    {
        var (_, client) = await ClientAsync("sdk-instruct-generate");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("a red circle",
            new ImageGenerationOptions { Size = new GeneratedImageSize(64, 64) }));

        Assert.Equal(400, error.Status);
        Assert.Contains("'tiny-edit' edits by instruction", error.Message, StringComparison.Ordinal);
        Assert.Contains($"such as '{StudioHost.Model}'", error.Message, StringComparison.Ordinal);
    }
}
