using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Pins;
using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Tests.Shared;

namespace WebStudio.Api.Tests;

/// <summary>
/// The built-in model makes sides in multiples of 32 (its VAE's 8 × its UNet's two halvings), not the core's 8: a size
/// between them passes the general checks but cannot run. Every entry point refuses it at submission, with the
/// multiple and the nearest valid sizes, and queues nothing.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class ModelSizeMultipleTests(ModelSizeMultipleTests.Server server) : IClassFixture<ModelSizeMultipleTests.Server>
{
    [Fact]
    public void The_built_in_model_folder_gives_its_size_multiple()
    {
        var model = new ModelCatalog(RepositoryFolders.Models).Find(PinnedImages.Model);

        Assert.Equal(32, model.SizeMultiple);
    }

    [Fact]
    public void The_edit_page_is_told_the_outpaint_amounts_that_the_model_can_make()
    {
        var model = new EngineModel(PinnedImages.Model, 128, 128) { SizeMultiple = 32 };

        Assert.Equal([32, 64, 96], ModelSizes.OutpaintAmounts(128, 32, 96));
        Assert.Equal([24, 56, 88], ModelSizes.OutpaintAmounts(136, 32, 96)); // a source of another size
        Assert.Null(ModelSizes.OutpaintProblem(model, 128, 128, 0, 32, 32, 0));
        Assert.Equal("webstudio-shapes makes images whose sides are multiples of 32 pixels: extending the 128×128 image by 16 px top, 16 px right "
            + "makes it 144×144; the nearest valid widths are 128 and 160; the nearest valid heights are 128 and 160. Instead, extend left and right "
            + "together by 32, 64, 96 pixels; extend top and bottom together by 32, 64, 96 pixels.",
            ModelSizes.OutpaintProblem(model, 128, 128, 0, 16, 16, 0));
    }

    [Fact]
    public async Task An_outpaint_of_16_pixels_on_the_built_in_model_is_refused_with_the_multiple_and_the_nearest_sizes()
    {
        var user = await StudioLogin.RegisterAsync(server, "outpaint16");
        var source = await UploadAsync(user.Http, 128, 128);

        using var response = await user.Http.PostAsJsonAsync("/api/edits", new
        {
            operation = "Outpaint", source, prompt = "a red circle", model = PinnedImages.Model, steps = 4, seed = 1, outpaintRight = 16,
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multiples of 32 pixels", body);
        Assert.Contains("makes it 144×128; the nearest valid widths are 128 and 160", body);
        Assert.Contains("extend left and right together by 32, 64, 96 pixels", body);
        Assert.Equal(0, await JobCountAsync(user.UserId));
    }

    [Fact]
    public async Task An_openai_edit_at_a_size_the_built_in_model_cannot_make_is_refused_and_queues_nothing()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("edit144");
        using var api = server.Client(key);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Png(128, 128)), "image", "image.png" },
            { new StringContent("a yellow star"), "prompt" },
            { new StringContent(PinnedImages.Model), "model" },
            { new StringContent("144x144"), "size" },
            { new StringContent("low"), "quality" },
        };

        using var response = await api.PostAsync("/v1/images/edits", form);

        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = error.GetProperty("message").GetString();
        Assert.Contains("webstudio-shapes makes images whose sides are multiples of 32 pixels: a width of 144 is not one; the nearest valid widths are 128 and 160", message);
        Assert.Contains("a height of 144 is not one; the nearest valid heights are 128 and 160", message);
        Assert.Equal(0, await JobCountAsync(userId));
    }

    [Fact]
    public async Task A_text_to_image_job_at_a_size_the_built_in_model_cannot_make_is_refused_and_queues_nothing()
    {
        var user = await StudioLogin.RegisterAsync(server, "txt136");

        using var response = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a red circle", model = PinnedImages.Model, steps = 4, seed = 1, width = 136, height = 128,
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multiples of 32 pixels: a width of 136 is not one; the nearest valid widths are 128 and 160", body);
        Assert.Equal(0, await JobCountAsync(user.UserId));
    }

    private async Task<int> JobCountAsync(string userId)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        return await db.Jobs.CountAsync(j => j.OwnerId == userId);
    }

    private static async Task<string> UploadAsync(HttpClient http, int width, int height)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Png(width, height)), "file", "source.png" } };
        form.First().Headers.ContentType = new("image/png");
        using var response = await http.PostAsync("/api/uploads", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString()!;
    }

    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 120, 40));
        return PinnedImages.Png(image);
    }

    /// <summary>The studio on the built-in model (its weights are files in the repository).</summary>
    public sealed class Server() : StudioHost(new StudioHostOptions
    {
        ModelsFolder = RepositoryFolders.Models,
        TinyModel = null,
        Settings = new Dictionary<string, string?> { ["Generation:DefaultModel"] = PinnedImages.Model },
    });
}
