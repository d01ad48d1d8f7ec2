using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>A1111's "Hires. fix" checkbox: a text-to-image job's second pass enlarges and redraws each of its images in the
/// same job, exactly as the result panel's hires fix would redraw them as jobs of their own.</summary>
[Trait("Capability", "StudioCore")]
public sealed class HiresPassJobTests(TinyModelFolders model) : IClassFixture<TinyModelFolders>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_hires_fix_in_the_job_redraws_each_image_enlarged_as_a_hires_fix_edit_of_it_would()
    {
        await using var studio = await EditStudio.StartAsync(model.CreateEngine);
        var alice = studio.Alice;
        var hires = new HiresPass { Factor = 2, Strength = 0.5f, Steps = 4 };

        var response = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("a red circle", steps: 6, batch: 2, seed: 11) with { Hires = hires });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var done = await alice.WaitForEndAsync((await response.Content.ReadFromJsonAsync<JobView>())!.Id, Patience);

        Assert.Equal("Succeeded", done.Status);
        Assert.Equal([(11L, 128, 128), (12L, 128, 128)], done.Images.Select(i => (i.Seed, i.Width, i.Height)));
        using var result = await alice.DownloadAsync(done.Images[1].Url);
        Assert.Equal(
            "a red circle\nSteps: 6, Sampler: Euler a, CFG scale: 7, Seed: 12, Size: 64x64, Model: tiny, Denoising strength: 0.5, Hires upscale: 2, Hires steps: 4, Hires upscaler: Lanczos",
            result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
        var stored = await studio.StoredJobAsync(done.Id);
        Assert.Equal((2, 2), (stored.HiresFactor, stored.HiresSteps));
        Assert.Equal("native 64×64 · hires fix 2× Lanczos, strength 0.5 → 128×128", ImageResolution.For(stored, 128, 128).ToString());
        await using (var db = studio.Factory.OpenDatabase())
        {
            // Usage counts both passes: 6 steps at 64², then 2 denoising steps at 128², for each of 2 images.
            Assert.Equal((6L + 2 * 4) * 64 * 64 * 2, (await db.UsageRecords.SingleAsync(r => r.JobId == done.Id)).StepPixels);
        }

        // The same image made plain, then hires-fixed as a job of its own, has the same pixels.
        var plain = await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle", steps: 6, seed: 12)).Id, Patience);
        var edit = await alice.EditAsync(EditJobTests.Request(EditOperation.HiresFix, EditSource.FromImage(plain.Images[0].Id).ToString())
            with { Steps = 4, Seed = 12, Strength = 0.5f, UpscaleFactor = 2 });
        var edited = await alice.WaitForEndAsync(edit.Id, Patience);
        using var separate = await alice.DownloadAsync(edited.Images[0].Url);
        Assert.Equal((128, 128), (separate.Width, separate.Height));
        Assert.True(EditClient.SamePixels(separate, result), "the hires fix in the job differs from the hires fix of the plain image");
    }

    [Fact]
    public async Task Bad_hires_settings_are_refused_with_the_field_named()
    {
        await using var studio = await EditStudio.StartAsync();
        var spec = StudioUserClient.Parameters("a red circle");

        async Task<string> RefusedAsync(JobSpec.Txt2Img bad)
        {
            var response = await studio.Alice.Http.PostAsJsonAsync("/api/jobs", bad);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
            return body;
        }

        Assert.Contains("\"hiresFactor\":[\"the hires fix enlarges 2× or 4×; 3× was given\"]", await RefusedAsync(spec with { Hires = new() { Factor = 3 } }));
        Assert.Contains("a 4× hires fix of 1024×64 would be 4096×256; at most 2048 per side",
            await RefusedAsync(spec with { Width = 1024, Hires = new() { Factor = 4 } }));
        Assert.Contains("\"hiresStrength\"", await RefusedAsync(spec with { Hires = new() { Strength = 0f } }));
        Assert.Contains("\"hiresSteps\"", await RefusedAsync(spec with { Hires = new() { Steps = 151 } }));
        await using var db = studio.Factory.OpenDatabase();
        Assert.Equal(0, await db.Jobs.CountAsync());
    }
}
