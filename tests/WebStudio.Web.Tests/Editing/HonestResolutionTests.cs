using System.Net.Http.Json;
using System.Text.Json;
using SixLabors.ImageSharp;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Storage;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>
/// An upscaled image is never presented as if the model had made it at that size: its PNG parameters carry A1111's
/// upscale keys and the native size, and the history words both with the one formatter (ImageResolution).
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class HonestResolutionTests(TinyModelFolders model) : IClassFixture<TinyModelFolders>
{
    [Fact]
    public void The_formatter_words_native_size_and_any_upscale()
    {
        Assert.Equal("native 128×128", new ImageResolution(128, 128, 128, 128).ToString());
        Assert.Equal("native 128×128 · upscaled 4× Lanczos → 512×512",
            ImageResolution.For(new JobSpec.Upscale { Factor = 4 }, 512, 512, 512).ToString());
        Assert.Equal("native 128×128 · upscaled 2× tiny-x2 → 256×256",
            ImageResolution.For(new JobSpec.Upscale { Upscaler = "tiny-x2" }, 128, 256, 256).ToString());
        Assert.Equal("native 128×128 · hires fix 2× Lanczos, strength 0.35 → 256×256",
            ImageResolution.For(new JobSpec.HiresFix { Factor = 2, Strength = 0.35f }, 256, 256, 256).ToString());
        Assert.Equal("native 64×48", ImageResolution.For(new JobSpec.Txt2Img { Width = 64, Height = 48 }, 64, 64, 48).ToString());
    }

    [Fact]
    public void An_upscale_of_an_upscaled_image_keeps_the_first_native_size_and_the_whole_chain()
    {
        var first = ImageResolution.For(new JobSpec.Upscale { Factor = 4 }, 512, 512, 512);
        var second = new JobSpec.Upscale { Factor = 2, SourceResolution = first };
        var hires = new JobSpec.HiresFix { Factor = 2, Strength = 0.35f, SourceResolution = ImageResolution.For(second, 1024, 1024, 1024) };

        Assert.Equal("native 128×128 · upscaled 4× Lanczos → 512×512 · upscaled 2× Lanczos → 1024×1024",
            ImageResolution.For(second, 1024, 1024, 1024).ToString());
        Assert.Equal("native 128×128 · upscaled 4× Lanczos → 512×512 · upscaled 2× Lanczos → 1024×1024 · hires fix 2× Lanczos, strength 0.35 → 2048×2048",
            ImageResolution.For(hires, 2048, 2048, 2048).ToString());
        Assert.Equal((128, 128), (ImageResolution.For(hires, 2048, 2048, 2048).NativeWidth, ImageResolution.For(hires, 2048, 2048, 2048).NativeHeight));

        // The chain is part of the stored spec, so the history shows it without walking back through the sources.
        var stored = JobSpecJson.Deserialize(JobSpecJson.Serialize(hires));
        Assert.Equal(ImageResolution.For(hires, 2048, 2048, 2048).ToString(), ImageResolution.For(stored, 2048, 2048, 2048).ToString());
        Assert.DoesNotContain("sourceResolution", JobSpecJson.Serialize(new JobSpec.Upscale { Factor = 2 })); // a first upscale's row is as before
    }

    [Fact]
    public async Task Upscaling_an_upscaled_image_says_native_of_the_first_image_in_the_history_and_its_parameters()
    {
        await using var studio = await EditStudio.StartAsync(width: 40, height: 30);
        var (alice, source) = (studio.Alice, studio.Source);
        var first = await alice.WaitForEndAsync((await alice.EditAsync(EditJobTests.Request(EditOperation.Upscale, source) with { UpscaleFactor = 2 })).Id);
        Assert.Equal("Succeeded", first.Status);

        var job = await alice.EditAsync(EditJobTests.Request(EditOperation.Upscale, EditSource.FromImage(first.Images[0].Id).ToString()) with { UpscaleFactor = 2 });
        var done = await alice.WaitForEndAsync(job.Id);

        Assert.Equal("Succeeded", done.Status);
        Assert.Equal("native 40×30 · upscaled 2× Lanczos → 80×60 · upscaled 2× Lanczos → 160×120", await HistoryResolutionAsync(alice, job.Id));
        using var result = await alice.DownloadAsync(done.Images[0].Url);
        var parameters = result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value;
        Assert.Equal("Postprocess upscale by: 2, Postprocess upscaler: Lanczos, Native size: 40x30", parameters);
    }

    [Fact]
    public async Task A_hires_fix_states_its_native_size_and_upscale_in_its_parameters_and_in_the_history()
    {
        await using var studio = await EditStudio.StartAsync(model.CreateEngine);
        var (alice, source) = (studio.Alice, studio.Source);

        var job = await alice.EditAsync(EditJobTests.Request(EditOperation.HiresFix, source) with { Strength = 0.35f, UpscaleFactor = 2 });
        var done = await alice.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(90));

        Assert.Equal("Succeeded", done.Status);
        using var result = await alice.DownloadAsync(done.Images[0].Url);
        var parameters = result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value;
        Assert.EndsWith(", Size: 128x128, Model: tiny, Denoising strength: 0.35, Hires upscale: 2, Hires upscaler: Lanczos, Native size: 64x64", parameters);
        Assert.Equal("native 64×64 · hires fix 2× Lanczos, strength 0.35 → 128×128", await HistoryResolutionAsync(alice, job.Id));
    }

    [Fact]
    public async Task A_lanczos_upscale_states_its_native_size_in_the_history()
    {
        await using var studio = await EditStudio.StartAsync(width: 40, height: 30);
        var (alice, source) = (studio.Alice, studio.Source);

        var job = await alice.EditAsync(EditJobTests.Request(EditOperation.Upscale, source) with { UpscaleFactor = 4 });
        var done = await alice.WaitForEndAsync(job.Id);

        Assert.Equal("Succeeded", done.Status);
        Assert.Equal("native 40×30 · upscaled 4× Lanczos → 160×120", await HistoryResolutionAsync(alice, job.Id));
    }

    private static async Task<string?> HistoryResolutionAsync(StudioUserClient user, Guid jobId)
    {
        var item = await user.Http.GetFromJsonAsync<JsonElement>($"/api/history/{jobId}");
        Assert.Equal(item.GetProperty("resolution").GetString(), item.GetProperty("images")[0].GetProperty("resolution").GetString());
        return item.GetProperty("resolution").GetString();
    }
}
